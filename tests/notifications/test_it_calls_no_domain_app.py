"""DESIGN: notifications is called by every app and calls none; links come from its registry."""

from __future__ import annotations

import ast
from pathlib import Path

import finegrid.notifications

DOMAIN = ("grids", "registry", "cases", "care", "workforce", "participation", "cockpit", "open311")


def test_the_notifications_app_imports_no_domain_app() -> None:
    root = Path(finegrid.notifications.__file__).parent
    imported = set()
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert "finegrid.notifications.subjects" in imported  # the walk does see the app's imports
    assert not {m for m in imported if m.split(".")[:2] in [["finegrid", d] for d in DOMAIN]}
