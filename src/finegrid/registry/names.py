"""Pinyin of Chinese names, for search by 拼音 or its initials (``zs`` finds 张三)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames read otherwise than the character's ordinary reading (曾小明 is zeng, not ceng). The
# first character of a name is read from here; the ordinary reading stays a second search key,
# since people type what they expect (百家姓 readings, facts from any surname dictionary).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "翟": "zhai",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "乐": "yue",
    "员": "yun",
    "种": "chong",
    "秘": "bi",
    "折": "she",
    "繁": "po",
    "能": "nai",
    "覃": "qin",
    "句": "gou",
    "阚": "kan",
    "都": "du",
    "召": "shao",
    "薄": "bo",
    "祭": "zhai",
    "隗": "wei",
    "郇": "xun",
    "莘": "shen",
    "佴": "nai",
    "卜": "bu",
    "粘": "nian",
    "么": "yao",
    "重": "chong",
    "藏": "zang",
    "黑": "he",
    "蕃": "pi",
    "射": "she",
    "尉": "wei",
    "长": "chang",
    "万": "wan",
    "澹": "tan",
    "宓": "mi",
    "乜": "nie",
}
COMPOUND_READINGS = {
    "万俟": "moqi",
    "尉迟": "yuchi",
    "单于": "chanyu",
    "澹台": "tantai",
    "长孙": "zhangsun",
    "令狐": "linghu",
    "公冶": "gongye",
    "句龙": "goulong",
}


def _syllables(text: str) -> list[str]:
    full = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    out = ["".join(ch for ch in s.lower() if ch.isalnum()) for s in full]
    return [s for s in out if s]


def _keys(syllables: list[str]) -> tuple[str, str]:
    return "".join(syllables)[:128], "".join(s[0] for s in syllables)[:32]


def _surname_syllables(name: str) -> list[str] | None:
    """The name read with its surname's reading, or None when the table says nothing."""
    if len(name) > 2 and name[:2] in COMPOUND_READINGS:
        return [COMPOUND_READINGS[name[:2]], *_syllables(name[2:])]
    if len(name) > 1 and name[0] in SURNAME_READINGS and name[:2] not in COMPOUND_SURNAMES:
        return [SURNAME_READINGS[name[0]], *_syllables(name[1:])]
    return None


@lru_cache(maxsize=65536)
def ordinary_pinyin_keys(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三, every character in its ordinary reading; letters in the
    name are kept, other signs dropped."""
    return _keys(_syllables(name))


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """The search keys of a name read as a name: ("zengxiaoming", "zxm") for 曾小明."""
    surname = _surname_syllables(name.strip())
    return _keys(surname) if surname is not None else ordinary_pinyin_keys(name)


def search_keys(name: str) -> dict[str, str]:
    """The four indexed columns of a person's name: the surname reading, and the ordinary
    reading where it differs (empty otherwise, so that it never matches twice)."""
    main, initials = pinyin_keys(name)
    alt, alt_initials = ordinary_pinyin_keys(name)
    return {
        "name_pinyin": main,
        "name_initials": initials,
        "name_pinyin_alt": alt if alt != main else "",
        "name_initials_alt": alt_initials if alt_initials != initials else "",
    }


# Two-character surnames (复姓) still in use; any other name's surname is its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 "
    "公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 万俟 闻人 赫连 呼延 端木 南宫 西门 独孤 百里 "
    "东郭 拓跋 第五 左丘 梁丘 呼延".split()
)


def given_name(name: str) -> str:
    """小明 for 王小明 and 欧阳小明: what a neighbour calls someone, searched on its own. Empty
    for names that are not written as surname + given name (阿依古丽·买买提, Latin letters), whose
    start already is what people search for."""
    name = name.strip()
    if len(name) < 2 or "·" in name or not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return ""
    surname = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[surname:][:64]
