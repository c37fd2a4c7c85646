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


# Given names by generation and gender, for the registry's people (demo/population.py): the
# 1940s–60s 建国 and 秀英, the 1970s–90s 伟 and 丽, the 2000s 梓轩 and 欣怡.
GIVEN_BY_ERA = {
    ("old", "male"): (
        "建国 国强 德明 志华 文明 长春 永福 玉林 开云 德全 树清 光荣 学文 洪兵 "
        "国华 明德 正清 永贵 忠良 家富 世昌 绍华 淑平 福 贵 华 荣 明 清 禄"
    ).split(),
    ("old", "female"): (
        "秀英 桂英 秀兰 淑珍 玉兰 桂芳 素芬 凤英 翠华 淑华 玉珍 秀珍 德芳 兰英 "
        "琼芳 素华 玉芬 国英 淑芬 秀芳 芬 兰 英 珍 凤 琼"
    ).split(),
    ("mid", "male"): (
        "伟 强 磊 军 勇 涛 斌 杰 超 波 辉 刚 鹏 飞 健 亮 平 林 峰 明 俊 "
        "志强 建华 海涛 晓东 小龙 永强 红军 春林 东升 文杰 建军 俊杰 宏伟 国平"
    ).split(),
    ("mid", "female"): (
        "丽 芳 娟 敏 静 艳 霞 燕 玲 丹 婷 琴 红 梅 蓉 莉 萍 慧 "
        "晓梅 丽华 春燕 小红 秀梅 海燕 丽娟 雪梅 晓燕 晓琴 红梅 春梅 婷婷 莉莉"
    ).split(),
    ("young", "male"): (
        "梓轩 子轩 浩然 宇轩 俊熙 皓轩 一鸣 子墨 睿 宇航 铭 嘉豪 博文 "
        "天佑 思远 子豪 浩宇 奕辰 沐阳 锦程 宇 轩 晨 浩 瑞"
    ).split(),
    ("young", "female"): (
        "欣怡 梓涵 一诺 雨桐 子涵 诗涵 可馨 语嫣 梓萱 思彤 佳怡 若汐 "
        "雨萱 芷若 欣然 紫涵 梦瑶 心怡 安琪 悦 涵 萱 琪 妍"
    ).split(),
}

# Foreign residents are registered with their passport name.
FOREIGN_NAMES = {
    "male": [
        "KIM MINSU",
        "PARK JIHOON",
        "TANAKA HIROSHI",
        "NGUYEN VAN AN",
        "JOHN SMITH",
        "DAVID MILLER",
        "IVAN PETROV",
        "SOMCHAI SRISUK",
    ],
    "female": [
        "LEE SOYEON",
        "SATO YUKI",
        "TRAN THI MAI",
        "ANNA MUELLER",
        "MARIA GARCIA",
        "OLGA IVANOVA",
        "EMMA BROWN",
        "NORA KHAN",
    ],
}

OCCUPATIONS_LOCAL = [
    "企业职员",
    "个体经营",
    "教师",
    "医生",
    "护士",
    "公务员",
    "社区工作者",
    "司机",
    "厨师",
    "销售",
    "会计",
    "工程师",
    "自由职业",
    "物业管理员",
    "务农",
]
OCCUPATIONS_MIGRANT = [
    "建筑工人",
    "工厂工人",
    "快递员",
    "外卖骑手",
    "网约车司机",
    "服务员",
    "保安",
    "保洁员",
    "厨师",
    "装修工",
    "个体经营",
    "销售",
    "物流分拣员",
    "家政服务员",
    "美容美发师",
]

# The in-service party member's organisation (在职党员 report to the community: 双报到).
PARTY_ORGANISATIONS = [
    "新都区卫生健康局机关党支部",
    "新都区教育局机关党支部",
    "大丰街道办事处机关党支部",
    "新都区市场监督管理局党支部",
    "成都市新都区人民医院党委",
    "大丰小学党支部",
    "蓉北物流园联合党支部",
    "新都区城市管理局党支部",
    "国网成都新都供电公司党委",
    "新都区住房和城乡建设局党支部",
    "顺丰分拨中心党支部",
    "新都区公安分局大丰派出所党支部",
]

# Where the parents of a left-behind child work.
PARENTS_LOCATIONS = [
    "广东省东莞市",
    "广东省深圳市",
    "浙江省宁波市",
    "江苏省苏州市",
    "福建省厦门市",
    "新疆维吾尔自治区乌鲁木齐市",
    "上海市",
    "重庆市",
]

KEY_ATTENTION_CATEGORIES = ["社区矫正对象", "社区戒毒人员", "严重精神障碍患者", "刑满释放人员"]

# Businesses (经营场所) along the streets: (type, name patterns with {s} a surname, {r} a road).
BUSINESS_NAMES = {
    "shop": [
        "{s}记便民超市",
        "好又多生活超市",
        "{r}五金建材店",
        "{s}氏烟酒店",
        "鑫源副食店",
        "{s}家水果店",
        "德仁堂大药房{r}店",
        "惠民药房",
        "{r}手机通讯店",
        "童趣母婴店",
        "红旗连锁{r}店",
        "舞东风超市{r}店",
    ],
    "restaurant": [
        "{s}记冒菜",
        "老妈蹄花",
        "{s}婆婆家常菜",
        "川味小面馆",
        "{s}记串串香",
        "蜀香火锅",
        "{r}钵钵鸡",
        "{s}家抄手",
        "乐山甜皮鸭",
        "{s}氏烧烤",
        "新都肥肠粉",
        "{s}记兔头",
    ],
    "market_stall": [
        "{s}姐蔬菜摊",
        "{s}记鲜肉档",
        "{s}家水产",
        "{s}嬢嬢卤菜",
        "{s}氏豆制品",
        "{s}记干杂",
        "{s}哥禽蛋档",
        "{s}家调料铺",
    ],
    "workshop": [
        "{s}师傅汽车修理",
        "{r}电动车维修",
        "{s}记开锁配钥匙",
        "{s}氏裁缝铺",
        "{s}记家电维修",
    ],
    "hotel": ["{r}快捷酒店", "悦来客栈", "{s}家民宿", "丰泽宾馆"],
    "service": [
        "{s}记理发店",
        "美佳美发造型",
        "{r}快递驿站",
        "菜鸟驿站{r}店",
        "{s}氏洗衣店",
        "{r}茶馆",
        "悠然茶坊",
        "{s}记彩票站",
        "童心托管班",
        "康乐棋牌室",
    ],
}


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
