"""An error page in a real headless Chromium: the site's header, the user's language, and a
"Go back" button that works."""

from __future__ import annotations

import os
from typing import Any

from finegrid.accounts.models import User
from tests.conftest import PASSWORD
from tests.test_browser import _page, browser

__all__ = ["browser"]  # the module's Chromium, shared with the other browser tests' way

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = os.environ.get("FINEGRID_SCREENSHOTS", "")


def test_a_missing_page_offers_a_way_back(browser: Any, live_server: Any, worker: User) -> None:
    base = live_server.url
    page, errors = _page(browser, 375, 740)
    page.goto(f"{base}/accounts/login/?next=/map/")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/map/")
    response = page.goto(f"{base}/no-such-page/")
    assert response is not None and response.status == 404
    assert page.inner_text("#error h1") == "找不到页面"
    assert page.is_visible(".fg-header")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "error-404-375.png"), full_page=True)
    back = page.locator("button[data-fg-back]")
    assert back.is_visible()
    back.click()
    page.wait_for_url(f"{base}/map/")
    page.goto(f"{base}/no-such-page/")
    page.click("#error a[href='/']")
    page.wait_for_url(f"{base}/**")
    assert "/no-such-page/" not in page.url
    # Chromium reports the 404 itself as a console error: that is the page's status, not a bug
    assert [e for e in errors if "404" not in e] == []
