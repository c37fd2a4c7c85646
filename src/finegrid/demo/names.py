"""Plausible Chinese names and phone numbers for generated people and places (not real ones)."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟姜崔谭陆汪范廖石金韦贾付方"
)
GIVEN = (
    "文华明国建平志红军伟芳丽英秀敏静霞兰洪涛强磊洋勇艳杰娟涛斌超波"
    "辉刚健鹏飞玉欣如婷丹蓉川蜀宇晨浩然佳怡梓萱子轩俊凯雪梅桂春燕琴"
)

COMMUNITIES = [
    "锦丰",
    "高堆",
    "大丰",
    "南丰",
    "三河",
    "皂角",
    "双林",
    "同仁",
    "泰兴",
    "江河",
    "黄桷",
    "岳家",
    "东林",
    "金桥",
    "丰乐",
]
ESTATE_WORDS = [
    "新城",
    "花园",
    "雅苑",
    "家园",
    "名居",
    "丽景",
    "佳苑",
    "华庭",
    "公馆",
    "锦城",
    "尚城",
    "逸居",
]
ESTATE_HEADS = [
    "怡丽",
    "世纪",
    "锦绣",
    "金沙",
    "蓉北",
    "丰泽",
    "和美",
    "阳光",
    "翠湖",
    "书香",
    "香城",
    "桂湖",
    "天府",
    "凤凰",
    "康乐",
    "幸福",
    "安居",
    "泰和",
    "龙湖",
    "德源",
]
ROADS = [
    "丰泽路",
    "大丰大道",
    "锦丰路",
    "蓉北商贸大道",
    "高堆路",
    "南丰街",
    "三河路",
    "同仁街",
    "泰兴路",
]

DEDICATED = [
    ("market", ["雨润市场", "大丰农贸市场", "锦丰菜市场", "蓉北商贸城", "南丰综合市场"]),
    ("school", ["大丰小学", "大丰中学", "锦丰实验学校", "南丰小学", "三河初级中学"]),
    ("kindergarten", ["大丰幼儿园", "锦丰幼儿园", "高堆幼儿园", "金桥幼儿园"]),
    ("park", ["锦水河公园", "丰乐公园", "同仁湿地公园", "江河绿道"]),
    ("enterprise", ["顺丰分拨中心", "美团配送站", "蓉北物流园", "大丰工业园"]),
    ("construction", ["安置房二期工地", "地铁站点工地", "锦丰新城三期工地"]),
    ("hospital", ["大丰社区卫生服务中心", "新都区第二人民医院"]),
    ("transport", ["大丰客运站", "地铁3号线大丰站"]),
]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.75 else "")
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    prefix = rng.choice(
        ["133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189", "199"]
    )
    return prefix + "".join(str(rng.randrange(10)) for _ in range(8))


def estate_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        name = rng.choice(ESTATE_HEADS) + rng.choice(ESTATE_WORDS)
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(ESTATE_HEADS)}{rng.choice(ESTATE_WORDS)}{len(used)}期"
    used.add(name)
    return name
