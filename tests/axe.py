"""axe-core in the browser tests: the accessibility rules run on a page as it stands.

The vendored copy (scripts/vendor.py) is injected into the page under test; the violations of
impact "serious" or "critical" are answered, each as "rule: selector", so a test can assert none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent.parent / "src/finegrid/core/static/vendor/axe-core/axe.min.js"


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .flatMap(v => v.nodes.map(n => v.id + ": " + n.target.join(" ")));
        }"""
    )
    return list(found)
