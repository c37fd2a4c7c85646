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
