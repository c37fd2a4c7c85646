"""In a real headless Chromium: an official finds a person with a care tag, enrols them with a
button, copies the key shown once, and the enrolment shows only its first characters after."""

from __future__ import annotations

import os
from typing import Any

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.care.models import Device
from finegrid.care.services_enrolment import device_for_key
from tests.care.helpers_devices import tagged_person
from tests.conftest import PASSWORD, make_net
from tests.test_browser import browser  # noqa: F401 (the fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = "/tmp/devices-enrol"  # noqa: S108 (screenshots to look at after a run)


def test_an_official_enrols_and_copies_the_key_once(
    browser: Any,  # noqa: F811
    live_server: Any,
    transactional_db: None,
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    net = make_net()
    official = User.objects.create_user(
        username="official", password=PASSWORD, display_name="胡晓梅"
    )
    RoleAssignment.objects.create(user=official, role=Role.COMMUNITY_OFFICIAL, grid=net.c1)
    person = tagged_person(official, net.m1)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(90_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(f"{base}/care/enrolments/?find=王")
    page.fill("input[name=username]", "official")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.click(f"#candidate-{person.pk} a")
    page.wait_for_selector("#enrol-form")
    page.select_option("select[name=device_1_kind]", "button")
    page.fill("input[name=device_1_label]", "床头按钮")
    page.fill("input[name=contact_1_name]", "王晓")
    page.fill("input[name=contact_1_phone]", "13800138000")
    page.screenshot(path=f"{SHOTS}-form.png", full_page=True)
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#key-warning")
    device = Device.objects.get(enrolment__person=person)
    box = page.locator(f"#key-value-{device.pk}")
    key = box.input_value()
    assert device_for_key(key).pk == device.pk
    page.click(f"#key-{device.pk} .fg-care-copy")
    page.wait_for_function(
        f"() => document.querySelector('#key-{device.pk} .fg-care-copy').textContent === '已复制'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == key
    page.screenshot(path=f"{SHOTS}-keys.png", full_page=True)
    page.click("text=完成：查看登记")
    page.wait_for_selector(f"#device-{device.pk}")
    assert key not in page.content() and device.key_hint in page.inner_text(f"#device-{device.pk}")
    page.screenshot(path=f"{SHOTS}-detail.png", full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert errors == []
    context.close()
