"""Pinyin of Chinese names, for search by 拼音 or its initials (``zs`` finds 张三)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三; letters in the name are kept, other signs dropped."""
    full = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    syllables = ["".join(ch for ch in s.lower() if ch.isalnum()) for s in full]
    syllables = [s for s in syllables if s]
    return "".join(syllables)[:128], "".join(s[0] for s in syllables)[:32]


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
