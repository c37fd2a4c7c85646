"""Merge translation lists (msgid<TAB>zh-hans per line) into the zh-hans catalogue.

    python scripts/merge_tsv.py FILE.tsv [...]

The lists are the truth for the msgids they name (earlier files win a clash); other entries are
left alone. Prints msgids still missing afterwards and those two lists translate differently.
Run scripts/messages.py first to extract new msgids.
"""

from __future__ import annotations

import sys

import polib
from messages import MO, PO, problems


def main(paths: list[str]) -> int:
    table: dict[str, str] = {}
    clashes = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if "\t" not in line:
                continue
            msgid, text = line.rstrip("\n").split("\t", 1)
            msgid = msgid.replace("\\n", "\n")
            if msgid in table and table[msgid] != text:
                clashes.append(f"{msgid!r}: {table[msgid]!r} / {text!r}")
                continue
            table[msgid] = text
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        # makemessages guesses a fuzzy translation from a similar msgid: never keep a guess
        fuzzy = "fuzzy" in entry.flags
        text = table.get(entry.msgid) or (
            table.get(entry.msgid_plural) if entry.msgid_plural else None
        )
        if entry.msgid_plural:
            if text and entry.msgstr_plural.get(0) != text:
                entry.msgstr_plural = {0: text}
                filled += 1
        elif text and entry.msgstr != text:
            entry.msgstr = text
            filled += 1
        if fuzzy and text:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(str(PO))
    po.save_as_mofile(str(MO))
    for c in clashes:
        print("clash:", c)
    left = problems()
    for line in left:
        print(line)
    print(f"filled {filled}; {len(left)} left")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
