"""English names of the official holidays, for the calendar's ``name_en`` column."""

from __future__ import annotations

NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}
WORKDAY_SUFFIX = "调休上班"


def english_holiday_name(name: str) -> str:
    """``国庆节、中秋节调休上班`` → ``Working day in lieu (National Day and Mid-Autumn Festival)``;
    empty for a local name the table does not know (an official types it on the admin page)."""
    name = name.strip()
    workday = name.endswith(WORKDAY_SUFFIX)
    base = name.removesuffix(WORKDAY_SUFFIX)
    parts = [NAMES.get(part.strip(), "") for part in base.split("、")]
    if not base or not all(parts):
        return ""
    joined = " and ".join(parts)
    return "Working day in lieu (" + joined + ")" if workday else joined
