"""The starting taxonomy and departments (managed data: the street's administrators edit them on
the taxonomy pages, ``/cases/categories/`` and ``/cases/departments/``)."""

from __future__ import annotations

from typing import Any

H = 60  # minutes
DAY = 8 * H  # one working day

# code, 名称, English, default track, safety-critical, accept, resolve now / coordinate / follow up
CATEGORIES: list[tuple[Any, ...]] = [
    ("safety_hazard", "安全隐患", "Safety hazard", "now", False, 1 * H, 1 * DAY, 3 * DAY, 10 * DAY),
    ("gas", "燃气", "Gas safety", "now", True, 15, 4 * H, 12 * H, 24 * H),
    ("fire", "消防", "Fire safety", "now", True, 15, 4 * H, 12 * H, 24 * H),
    ("sanitation", "环境卫生", "Sanitation", "now", False, 2 * H, 1 * DAY, 2 * DAY, 5 * DAY),
    ("dispute", "矛盾纠纷", "Disputes", "coordinate", False, 2 * H, 1 * DAY, 5 * DAY, 15 * DAY),
    ("livelihood", "民生诉求", "Everyday needs", "now", False, 2 * H, 2 * DAY, 5 * DAY, 10 * DAY),
    ("public_order", "治安", "Public order", "follow_up", False, 1 * H, 1 * DAY, 3 * DAY, 5 * DAY),
    (
        "city_management",
        "城管",
        "City management",
        "follow_up",
        False,
        2 * H,
        1 * DAY,
        3 * DAY,
        5 * DAY,
    ),
    (
        "environment",
        "环保",
        "Environmental protection",
        "follow_up",
        False,
        2 * H,
        2 * DAY,
        5 * DAY,
        10 * DAY,
    ),
    (
        "property",
        "物业",
        "Property management",
        "coordinate",
        False,
        2 * H,
        1 * DAY,
        5 * DAY,
        10 * DAY,
    ),
    # an emergency call nobody in the chain answered (care/): opened red, by the call
    (
        "special_care",
        "特殊人群关爱",
        "Care of vulnerable people",
        "now",
        True,
        15,
        4 * H,
        12 * H,
        24 * H,
    ),
]

# code, 名称, English, report in within (calendar minutes), resolve within (working minutes)
DEPARTMENTS: list[tuple[Any, ...]] = [
    ("chengguan", "城管执法中队", "City management enforcement", 30, 3 * DAY),
    ("police", "派出所", "Police station", 15, 2 * DAY),
    ("fire", "消防救援站", "Fire and rescue station", 15, 1 * DAY),
    ("health", "卫生健康办", "Health office", 60, 3 * DAY),
    ("market", "市场监管所", "Market regulation office", 60, 5 * DAY),
    ("emergency", "应急管理办", "Emergency management office", 30, 2 * DAY),
    ("housing", "住建办", "Housing and construction office", 60, 5 * DAY),
    ("environment", "生态环境所", "Ecology and environment office", 60, 5 * DAY),
]


def load(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("cases", "Category")
    Department = apps.get_model("cases", "Department")
    for sort, (code, name, name_en, track, safety, accept, now, coord, follow) in enumerate(
        CATEGORIES
    ):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "default_track": track,
                "safety_critical": safety,
                "accept_minutes": accept,
                "resolve_minutes_now": now,
                "resolve_minutes_coordinate": coord,
                "resolve_minutes_follow_up": follow,
                "sort": sort,
            },
        )
    for code, name, name_en, report_in, resolve in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "report_in_minutes": report_in,
                "resolve_minutes": resolve,
            },
        )
