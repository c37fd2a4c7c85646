"""Write the API's OpenAPI document to docs/openapi.json (the snapshot tests/test_openapi.py
compares against): ``python scripts/openapi.py`` after changing an endpoint or a schema."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "docs" / "openapi.json"


def document() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finegrid.config.settings")
    import django

    django.setup()
    from finegrid.config.api import api

    schema = api.get_openapi_schema()
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    SNAPSHOT.write_text(document())
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}", file=sys.stderr)
