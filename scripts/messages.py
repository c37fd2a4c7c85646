"""Keep the zh-hans catalogue complete.

    python scripts/messages.py          extract messages into the .po, then compile the .mo
    python scripts/messages.py --check  fail if a message is missing, untranslated or fuzzy,
                                        or if the committed .mo differs from the .po

Source strings are English; zh-hans (the default language) comes from the catalogue, so English
is complete by construction and Chinese is complete when this check passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "finegrid"
LOCALE = PACKAGE / "locale"
LANG = "zh_Hans"
PO = LOCALE / LANG / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FINEGRID = [str(ROOT / ".venv" / "bin" / "finegrid")]


def extract() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "finegrid.config.settings"}
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [
            *FINEGRID,
            "makemessages",
            "-l",
            LANG,
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "static/vendor/*",
            "-v",
            "0",
        ],
        cwd=PACKAGE,
        check=True,
        env=env,
    )


def compile_mo() -> None:
    po = polib.pofile(str(PO))
    po.save_as_mofile(str(MO))


def problems() -> list[str]:
    out: list[str] = []
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            out.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural and not all(entry.msgstr_plural.values()):
            out.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgid_plural and not entry.msgstr:
            out.append(f"untranslated: {entry.msgid!r}")
        else:
            # a translation that names other placeholders fails at runtime, or shows English
            wanted = _placeholders(entry.msgid + (entry.msgid_plural or ""))
            texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            if any(not _placeholders(t) <= wanted for t in texts):
                out.append(f"placeholders differ: {entry.msgid!r}")
    return out


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def check() -> int:
    if not PO.exists():
        print(f"missing {PO}")
        return 1
    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy(PO, backup)
    try:
        committed = {e.msgid for e in polib.pofile(str(backup)) if not e.obsolete}
        extract()
        current = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    finally:
        shutil.copy(backup, PO)
    found = [f"not in the catalogue: {m!r}" for m in sorted(current - committed)]
    found += problems()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        polib.pofile(str(PO)).save_as_mofile(str(fresh))
        if not MO.exists() or fresh.read_bytes() != MO.read_bytes():
            found.append("the .mo is stale: run `make messages`")
    for line in found:
        print(f"{PO.relative_to(ROOT)}: {line}")
    if found:
        print(f"{len(found)} catalogue problem(s); run `make messages` and translate.")
        return 1
    print(f"catalogue complete: {len(current)} messages")
    return 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    PO.parent.mkdir(parents=True, exist_ok=True)
    extract()
    compile_mo()
    left = problems()
    for line in left:
        print(line)
    print(f"{len(left)} message(s) still to translate in {PO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
