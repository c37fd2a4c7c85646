"""Who the demo street's people are on paper: the reference date, where locals and migrants are
registered (the codes of their ID numbers), ID numbers and business licence numbers."""

from __future__ import annotations

import datetime as dt
import random
import re
from functools import cache

from stdnum import numdb
from stdnum.cn import uscc

from finegrid.registry.validators import region_exists

REFERENCE = dt.date(2025, 7, 1)
STREET_HOUSEHOLDS = 30_000
JINFENG = "锦丰新城"
# 锦丰新城小区300多名高龄独居老人 (seed 000); scaled down with the number of households.
JINFENG_ALONE_STREET = 320
# share of 锦丰新城's own households given to people living alone before it grows new blocks
JINFENG_ALONE_SHARE = 0.4
BUSINESSES_STREET = 520
BATCH_HOUSEHOLDS = 5_000

# 新都县 (until 2001) and 新都区 (since): a local's code depends on when they were registered.
LOCAL_OLD, LOCAL_NEW = "510125", "510114"
# Where 大丰's migrants come from: Sichuan's counties first, then 重庆, 河南, 湖南, 贵州, 云南,
# 甘肃, 湖北, 江西. Weights per code; every code is checked against python-stdnum's table.
ORIGINS: list[tuple[str, int]] = [
    ("510722", 5),  # 三台县
    ("510723", 3),  # 盐亭县
    ("510921", 3),  # 蓬溪县
    ("510623", 5),  # 中江县
    ("511123", 2),  # 犍为县
    ("511321", 5),  # 南部县
    ("511322", 4),  # 营山县
    ("511324", 4),  # 仪陇县
    ("511381", 3),  # 阆中市
    ("511621", 3),  # 岳池县
    ("511623", 3),  # 邻水县
    ("511725", 4),  # 渠县
    ("511722", 3),  # 宣汉县
    ("511921", 3),  # 通江县
    ("511923", 3),  # 平昌县
    ("512021", 4),  # 安岳县
    ("512022", 2),  # 乐至县
    ("510525", 2),  # 古蔺县
    ("511025", 2),  # 资中县
    ("513221", 1),  # 汶川县
    ("513433", 1),  # 冕宁县
    ("500101", 3),  # 万州区
    ("500230", 2),  # 丰都县
    ("500231", 2),  # 垫江县
    ("500233", 2),  # 忠县
    ("500235", 2),  # 云阳县
    ("500236", 2),  # 奉节县
    ("500242", 1),  # 酉阳县
    ("411521", 2),  # 罗山县
    ("411323", 1),  # 西峡县
    ("411722", 2),  # 上蔡县
    ("412726", 1),  # 郸城县 (until 2000)
    ("411625", 1),  # 郸城县 (since 2000)
    ("430524", 2),  # 隆回县
    ("430626", 1),  # 平江县
    ("431021", 1),  # 桂阳县
    ("522121", 1),  # 遵义县 (until 1997)
    ("520221", 1),  # 水城县
    ("530381", 1),  # 宣威市
    ("532128", 1),  # 镇雄县 (until 2001)
    ("620523", 1),  # 甘谷县
    ("422827", 1),  # 来凤县
    ("360730", 1),  # 宁都县
]

# The code a county had before: 重庆 was part of Sichuan until 1997, and several Sichuan
# prefectures were redrawn in the 1990s; a person registered then carries the old code for life.
PREDECESSORS: dict[str, list[str]] = {
    "500101": ["512201"],  # 万县市
    "500233": ["512223"],  # 忠县
    "500235": ["512225"],  # 云阳县
    "500236": ["512226"],  # 奉节县
    "500230": ["512324"],  # 丰都县
    "500231": ["512322"],  # 垫江县
    "500242": ["512329"],  # 酉阳县
    "511321": ["512922"],  # 南部县
    "511322": ["512924"],  # 营山县
    "511324": ["512927"],  # 仪陇县
    "511381": ["512903", "512930"],  # 阆中
    "511621": ["512923"],  # 岳池县
    "511623": ["513031"],  # 邻水县
    "511725": ["513030"],  # 渠县
    "511921": ["513721", "513025"],  # 通江县
    "511923": ["513723", "513028"],  # 平昌县
}

# Household kinds and their weights (per 100 households). L = registered locals, M = migrants.
KINDS: list[tuple[str, float]] = [
    ("L_family", 16),  # couple and their children
    ("L_three", 8),  # three generations
    ("L_elder_couple", 8),
    ("L_elder_alone", 4),  # 60+, living alone
    ("L_single", 6),
    ("L_couple", 7),
    ("L_left_behind", 1.5),  # grandparents with children whose parents work far away
    ("M_family", 15),
    ("M_couple", 11),
    ("M_single", 14),
    ("M_shared", 6),  # workmates sharing a flat
    ("M_with_parent", 3),  # a grandparent come along to mind the child
]
RENT_SHARE = {"M_family": 0.7, "M_couple": 0.75, "M_single": 0.8, "M_shared": 0.95}
RENT_SHARE_DEFAULT = 0.6

DISABILITY = [
    ("physical", 40),
    ("hearing", 15),
    ("visual", 12),
    ("multiple", 13),
    ("mental", 10),
    ("intellectual", 8),
    ("speech", 2),
]


# --- region codes --------------------------------------------------------------------------


@cache
def _years(code: str) -> tuple[int, int]:
    """The years a division code was in use, from python-stdnum's table (``[1985-]三台县``)."""
    parts = numdb.get("cn/loc").info(code)
    county = parts[-1][1].get("county", "") if parts else ""
    spans = re.findall(r"\[(\d*)-(\d*)\]", county)
    if not spans:
        return 0, 9999
    return min(int(a or 0) for a, _ in spans), max(int(b or 9999) for _, b in spans)


def _registered_in(birth: dt.date) -> int:
    # the first cards came in 1985; a person born later is registered at birth
    return max(birth.year, 1985)


@cache
def _origins_in(year: int) -> tuple[list[str], list[int]]:
    codes = [(c, w) for c, w in ORIGINS if _years(c)[0] <= year <= _years(c)[1]]
    return [c for c, _ in codes], [w for _, w in codes]


def check_origins() -> None:
    bad = [c for c, _ in ORIGINS if not region_exists(c)]
    bad += [c for old in PREDECESSORS.values() for c in old if not region_exists(c)]
    bad += [c for c in (LOCAL_OLD, LOCAL_NEW) if not region_exists(c)]
    if bad:
        raise ValueError(f"unknown region codes: {bad}")


def local_code(birth: dt.date) -> str:
    return LOCAL_OLD if birth.year <= 2000 else LOCAL_NEW


# --- licences ------------------------------------------------------------------------------

_ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def licence_number(rng: random.Random, individual: bool) -> str:
    """A unified social credit code (统一社会信用代码): 92 for an individual business (个体工商户),
    91 for a company, 新都's region code, an organisation code with its GB 11714 check, and the
    GB 32100 check character."""
    body = "MA6" + "".join(rng.choice(_USCC_CHARS) for _ in range(5))
    c = 11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(c, str(c))
    first = ("92" if individual else "91") + LOCAL_NEW + org
    return first + uscc.calc_check_digit(first)


# --- drafts ----------------------------------------------------------------------------------
