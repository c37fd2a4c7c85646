"""The demo street's duty lists, after 明湖社区 in the seeds: the three classes of lists by level
(总网格 / 一般网格 / 微网格), 327 inspection and 155 enforcement tasks devolved to the grid through
the street office, and the lists of the three heads (一站三长). Names are generated from a few
hazards, places and violations, in Chinese and English; the same street always gets the same."""

from __future__ import annotations

from itertools import product

from finegrid.grids.models import Grid, Level
from finegrid.workforce.ledger_dutylists import LedgerRow, Vocabulary
from finegrid.workforce.services_dutylists import duty_lists_replace

INSPECTIONS = 327
ENFORCEMENTS = 155

# (中文, English, owner level or department code, categories)
LEVEL_LISTS: dict[str, list[tuple[str, str, str, str]]] = {
    "community": [
        ("统筹辖区网格划分与调整", "Draw and adjust the community's grids", "community", ""),
        ("受理一般网格上报事件", "Take in cases carried up by the grids", "community", "dispute"),
        ("协调办：召集多方议事", "Coordinate: bring the parties together", "community", "dispute"),
        ("组织网格员培训与考评", "Train and assess grid workers", "community", ""),
        ("督办超期事件", "Chase overdue cases", "community", ""),
        ("汇总线下事件、线上呼叫派单", "Gather offline cases and dispatch calls", "community", ""),
        (
            "落实双报到与1+1+N联户",
            "Run dual registration and 1+1+N household links",
            "community",
            "",
        ),
        ("物业矛盾调处", "Settle disputes with property managers", "community", "property"),
    ],
    "grid": [
        ("网格长统筹一般网格事务", "Grid head runs the general grid", "grid", ""),
        ("马上办：当日可办结事项", "Settle now: what can be done today", "grid", "livelihood"),
        ("邻里纠纷调解", "Mediate neighbour disputes", "grid", "dispute"),
        ("环境卫生巡查", "Inspect sanitation", "grid", "sanitation"),
        ("治安隐患排查", "Find public-order risks", "grid", "public_order"),
        ("特殊人群定期走访", "Visit special populations regularly", "grid", "livelihood"),
        ("驻点值班（微网之家）", "Sit on duty at the service station", "grid", ""),
        ("吹哨报到发起", "Whistle departments when needed", "grid", ""),
    ],
    "micro": [
        ("包户入户走访", "Visit the households in my care", "micro", "livelihood"),
        ("收集居民诉求", "Collect residents' needs", "micro", "livelihood"),
        ("楼道杂物劝导清理", "Clear clutter in stairwells", "micro", "sanitation"),
        ("燃气安全隐患排查", "Check gas safety", "micro", "gas"),
        ("消防通道巡查", "Inspect fire passages", "micro", "fire"),
        ("护学岗值守", "Stand school-gate duty", "micro", ""),
        ("问题回访", "Visit back after a case", "micro", ""),
        ("政策宣传", "Explain policies to residents", "micro", ""),
    ],
    "party_service_head": [
        ("组织网格党员亮身份", "Have the grid's party members show themselves", "grid", ""),
        (
            "党员中心户联户服务",
            "Serve households through party-member centres",
            "grid",
            "livelihood",
        ),
        ("困难群众帮扶", "Help residents in hardship", "grid", "livelihood"),
        ("志愿服务召集", "Call volunteers together", "grid", ""),
    ],
    "safety_head": [
        ("燃气安全隐患排查", "Check gas safety", "grid", "gas"),
        ("消防隐患巡查", "Inspect fire hazards", "grid", "fire"),
        ("矛盾纠纷排查化解", "Find and settle disputes", "grid", "dispute"),
        ("重点人员关注", "Keep an eye on persons of concern", "grid", "public_order"),
    ],
    "civility_head": [
        ("文明养犬劝导", "Urge civil dog keeping", "grid", "city_management"),
        ("垃圾分类劝导", "Urge waste sorting", "grid", "sanitation"),
        ("不文明停车劝导", "Urge civil parking", "grid", "city_management"),
        ("移风易俗宣传", "Promote civil customs", "grid", ""),
    ],
}

# inspections: 27 hazards × 13 places ≥ 327 (安全、城管、环保、疫情、诉求)
HAZARDS: list[tuple[str, str, str]] = [
    ("燃气隐患", "gas hazards", "gas"),
    ("消防通道占用", "blocked fire passages", "fire"),
    ("电动车违规充电", "unsafe e-bike charging", "fire"),
    ("灭火器失效", "expired extinguishers", "fire"),
    ("高空坠物风险", "risks of falling objects", "safety_hazard"),
    ("电线私拉乱接", "illegal wiring", "safety_hazard"),
    ("井盖缺失破损", "missing manhole covers", "safety_hazard"),
    ("护栏松动", "loose railings", "safety_hazard"),
    ("占道经营", "street vending", "city_management"),
    ("乱搭乱建", "illegal structures", "city_management"),
    ("户外广告违规", "illegal outdoor signs", "city_management"),
    ("乱停乱放", "disorderly parking", "city_management"),
    ("共享单车堆放", "piled shared bikes", "city_management"),
    ("垃圾堆放", "piled rubbish", "sanitation"),
    ("垃圾分类不规范", "unsorted waste", "sanitation"),
    ("污水外溢", "overflowing sewage", "sanitation"),
    ("餐饮油烟", "restaurant fumes", "environment"),
    ("噪声扰民", "noise nuisance", "environment"),
    ("露天焚烧", "open burning", "environment"),
    ("扬尘污染", "dust pollution", "environment"),
    ("病媒孳生", "breeding disease vectors", "sanitation"),
    ("群租隐患", "overcrowded rentals", "public_order"),
    ("可疑人员", "suspicious persons", "public_order"),
    ("电梯故障", "broken lifts", "property"),
    ("物业服务缺位", "missing property services", "property"),
    ("独居老人安全", "safety of elders living alone", "livelihood"),
    ("路灯损坏", "broken street lights", "livelihood"),
]
PLACES: list[tuple[str, str]] = [
    ("小区院落", "estates"),
    ("楼栋楼道", "stairwells"),
    ("临街商铺", "street-front shops"),
    ("农贸市场", "the farmers' market"),
    ("学校周边", "around schools"),
    ("建筑工地", "building sites"),
    ("背街小巷", "back lanes"),
    ("出租屋", "rented rooms"),
    ("停车场", "car parks"),
    ("公园广场", "parks and squares"),
    ("河道沿线", "along the river"),
    ("餐饮街区", "the food streets"),
    ("地下空间", "underground spaces"),
]
# enforcement: 31 violations × 5 places = 155, each owned by its department
VIOLATIONS: list[tuple[str, str, str, str]] = [
    ("占道经营", "street vending", "chengguan", "city_management"),
    ("违法搭建", "illegal building", "chengguan", "city_management"),
    ("擅设户外广告", "unauthorised outdoor signs", "chengguan", "city_management"),
    ("乱倒建筑垃圾", "dumping construction waste", "chengguan", "sanitation"),
    ("违规停放机动车", "illegal parking", "chengguan", "city_management"),
    ("店外经营", "trading outside the shop", "chengguan", "city_management"),
    ("破坏绿化", "damaging greenery", "chengguan", "city_management"),
    ("乱涂乱画", "graffiti", "chengguan", "city_management"),
    ("无证经营", "trading without a licence", "market", "city_management"),
    ("食品安全违法", "food safety violations", "market", "livelihood"),
    ("价格违法", "price violations", "market", "livelihood"),
    ("计量器具作弊", "rigged scales", "market", "livelihood"),
    ("销售过期食品", "selling expired food", "market", "livelihood"),
    ("虚假广告", "false advertising", "market", "livelihood"),
    ("餐饮油烟超标排放", "excess restaurant fumes", "environment", "environment"),
    ("噪声超标", "excess noise", "environment", "environment"),
    ("露天焚烧垃圾", "open burning of rubbish", "environment", "environment"),
    ("污水直排", "discharging sewage", "environment", "environment"),
    ("工地扬尘", "building-site dust", "environment", "environment"),
    ("违规储存燃气", "unsafe gas storage", "emergency", "gas"),
    ("违规使用瓶装燃气", "unsafe bottled gas use", "emergency", "gas"),
    ("安全生产违法", "work safety violations", "emergency", "safety_hazard"),
    ("违规动火作业", "unsafe hot work", "emergency", "fire"),
    ("堵塞消防通道", "blocking fire passages", "fire", "fire"),
    ("损坏消防设施", "damaging fire equipment", "fire", "fire"),
    ("电动车违规停放充电", "unsafe e-bike parking and charging", "fire", "fire"),
    ("违规装修", "illegal renovation", "housing", "property"),
    ("擅自改变房屋结构", "altering a building's structure", "housing", "safety_hazard"),
    ("违规群租", "illegal overcrowded renting", "housing", "public_order"),
    ("物业违规收费", "property fee violations", "housing", "property"),
    ("电梯维保缺失", "missing lift maintenance", "housing", "property"),
]
ENFORCEMENT_PLACES = PLACES[:5]


def _row(
    vocabulary: Vocabulary, kind: str, code: str, names: tuple[str, str], owner: str, cats: str
) -> LedgerRow:
    row = LedgerRow(number=0, kind=kind, code=code, name=names[0], name_en=names[1])
    if owner in (Level.COMMUNITY, Level.GRID, Level.MICRO):
        row.owner_level = owner
    else:
        row.department_id = vocabulary.departments.get(owner)
    row.category_ids = [
        vocabulary.categories[c] for c in cats.split(",") if c and c in vocabulary.categories
    ]
    return row


def ledger_rows() -> list[LedgerRow]:
    vocabulary = Vocabulary()
    rows: list[LedgerRow] = []
    prefixes = {"community": "ZW", "grid": "YB", "micro": "WG", "party_service_head": "DY",
                "safety_head": "PA", "civility_head": "WM"}  # fmt: skip
    for kind, tasks in LEVEL_LISTS.items():
        for i, (zh, en, owner, cats) in enumerate(tasks, start=1):
            rows.append(_row(vocabulary, kind, f"{prefixes[kind]}-{i:02d}", (zh, en), owner, cats))
    pairs = list(product(PLACES, HAZARDS))[:INSPECTIONS]
    for i, ((place, place_en), (hazard, hazard_en, cat)) in enumerate(pairs, start=1):
        # what a household sees from its door the micro-grid worker checks; the rest the grid
        owner = Level.MICRO if place in ("楼栋楼道", "出租屋") else Level.GRID
        names = (f"{place}{hazard}巡查", f"Inspect {hazard_en} in {place_en}")
        rows.append(_row(vocabulary, "inspection", f"XC-{i:03d}", names, owner, cat))
    penalties = list(product(ENFORCEMENT_PLACES, VIOLATIONS))[:ENFORCEMENTS]
    for i, ((place, place_en), (violation, violation_en, dept, cat)) in enumerate(
        penalties, start=1
    ):
        names = (f"查处{place}{violation}", f"Penalise {violation_en} in {place_en}")
        rows.append(_row(vocabulary, "enforcement", f"CF-{i:03d}", names, dept, cat))
    return [r for r in rows if r.owner_level or r.department_id]


def seed_duty_lists() -> dict[str, int]:
    street = Grid.objects.filter(level=Level.STREET).order_by("path").first()
    if street is None:
        return {}
    result = duty_lists_replace(grid=street, rows=ledger_rows())
    return {"duty_lists": result.lists, "duty_tasks": result.tasks}
