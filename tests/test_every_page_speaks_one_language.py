"""Every page, in each language, speaks only that language.

The walk is generic: it iterates the URL resolver, so a page added later is walked too. A page
whose address takes parameters needs a sample in ``SAMPLES`` (or ``BY_PARAM``); the test names
the page that lacks one. Each page is asked for by each persona; what answers 200 with HTML is
read as a user sees it (tags, scripts, styles and ``translate="no"`` elements stripped; titles,
placeholders and labels of controls kept).

- In English, no Chinese character may remain outside the data that is Chinese whatever the
  language: the names of the places and people of the shared net, and what users typed.
- In zh-hans, no English word may remain, apart from the brand and the other language's name on
  the language switch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases import services as case_services
from finegrid.cases.models import Case, Department
from finegrid.registry import services as registry_services
from finegrid.registry.models import CareKind
from tests.cases.helpers import department_user, staff_net
from tests.conftest import NET, Net, client_for
from tests.registry.helpers import home_in, make_id, register
from tests.registry.ledger import csv_bytes, good_rows, upload

CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
WORD = re.compile(r"[A-Za-z]{2,}")
# Addresses, file types, encodings and the names of standards read the same in both languages.
TECHNICAL = re.compile(
    r"\S+@\S+|https?://\S+|\S*\.(?:xlsx|csv|json|svg)\b|\bUTF-8\b|\bGB18030\b|\bOpen311\b"
)

# Not pages: the API and Open311 answer JSON/XML (their texts are checked by their own tests),
# the admin is walked through its registry below, set_language only redirects.
SKIP_PREFIXES = ("api/", "open311/", "admin/", "i18n/", "static/", "media/")
# A GET of this would end the session the walk goes on with (and is refused anyway: POST only).
SKIP_NAMES = {"accounts:logout"}

ADDRESS = "锦丰新城1栋1单元101"
DESCRIPTION = "楼道堆放杂物"
PERSON = "王小明"
TENANT = "李四"
BUSINESS = "锦丰便利店"
STATION = "锦丰服务站"
PEOPLE = [
    "李建国",
    "胡晓梅",
    "张志强",
    "蔡如欣",
    "陈丽",
    "王磊",
    "胡民贵",
    "城管王队",
    PERSON,
    TENANT,
]
# Chinese whatever the language: the shared net's places and people, and what users typed.
PROPER_NAMES = [
    *PEOPLE,
    *(name for _code, name, *_rest in NET),
    ADDRESS,
    DESCRIPTION,
    BUSINESS,
    STATION,
    "居民100",
    "居民101",
    "简体中文",  # the language switch names each language in itself
]
# a reporter's name is masked on the case page (first character and stars)
PROPER_NAMES += [name[:1] + "*" * max(len(name) - 1, 1) for name in PEOPLE]
# The brand, the language switch, the search box's example of pinyin initials (张三 → zs), and
# the two acronyms Chinese writes as they are (API 令牌, IP 地址).
ENGLISH_ALLOWED = {"finegrid", "English", "zs", "API", "IP"}


@dataclass
class World:
    net: Net
    people: dict[str, User | None]
    open_case: Case
    settled_case: Case
    refs: dict[str, Any]


# url name → its parameters, from the world
SAMPLES: dict[str, Callable[[World], dict[str, Any]]] = {
    "cases:detail": lambda w: {"pk": w.open_case.pk},
    "cases:act": lambda w: {"pk": w.open_case.pk, "action": "accept"},
    "cases:category_edit": lambda w: {"code": "sanitation"},
    "cases:category_deactivate": lambda w: {"code": "sanitation"},
    "cases:category_delete": lambda w: {"code": "sanitation"},
    "cases:department_edit": lambda w: {"code": "chengguan"},
    "cases:department_deactivate": lambda w: {"code": "chengguan"},
    "track:follow": lambda w: {"code": w.settled_case.follow_code},
    "registry:care_tag_end": lambda w: {"pk": w.refs["person"].pk, "tag_id": w.refs["tag"].pk},
    "registry:person_unmask": lambda w: {"pk": w.refs["person"].pk, "field": "id_number"},
    "registry:household": lambda w: {"pk": w.refs["household"].pk},
    "registry:household_add_person": lambda w: {"pk": w.refs["household"].pk},
    "registry:rental_new": lambda w: {"pk": w.refs["household"].pk},
    "registry:rental_end": lambda w: {"pk": w.refs["rental"].pk},
    "registry:business_close": lambda w: {"pk": w.refs["business"].pk},
    "registry:import": lambda w: {"pk": w.refs["import"].pk},
    "registry:import_progress": lambda w: {"pk": w.refs["import"].pk},
    "workforce:roster": lambda w: {"code": "C1"},
    "workforce:roster_reassign": lambda w: {"code": "C1", "shift_id": 1},
    "workforce:leave_cancel": lambda w: {"leave_id": 1},
    "workforce:worker_ics": lambda w: {"secret": "no-such-secret"},
    "workforce:checkin_page": lambda w: {"payload": "FG1.m.1.1.forged"},
}
# a parameter of this name means the same thing on every page that takes it
BY_PARAM: dict[str, Callable[[World], Any]] = {
    "code": lambda w: "M1",
    "pk": lambda w: w.refs["person"].pk,
    "station_id": lambda w: w.refs["station"].pk,
    "shift_id": lambda w: w.refs["shift"].pk,
    "booking_id": lambda w: w.refs["booking"].pk,
}


def _patterns(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner or namespace)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            params = list(p.pattern.converters) or list(p.pattern.regex.groupindex)
            yield prefix + str(p.pattern), name, params


def page_urls(world: World) -> list[str]:
    urls: list[str] = []
    missing: list[str] = []
    for route, name, params in _patterns(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or name in SKIP_NAMES:
            continue
        assert name, f"the page {route} has no URL name to reverse"
        if name in SAMPLES:
            kwargs = SAMPLES[name](world)
        elif all(p in BY_PARAM for p in params):
            kwargs = {p: BY_PARAM[p](world) for p in params}
        else:
            missing.append(f"{name} ({route})")
            continue
        urls.append(reverse(name, kwargs=kwargs))
    assert not missing, f"add a sample to SAMPLES for: {', '.join(missing)}"
    return urls


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    apps = set()
    for model in admin.site._registry:
        meta = model._meta
        apps.add(meta.app_label)
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    urls += [reverse("admin:app_list", args=[app]) for app in sorted(apps)]
    return urls


class Visible(HTMLParser):
    """The text a user reads: no tags, scripts, styles, code or translate="no" parts."""

    SKIP = {"script", "style", "code", "kbd", "pre", "template", "svg", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(
        self, attrs: frozenset[str] = frozenset({"title", "placeholder", "aria-label", "alt"})
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs = attrs
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = self.hidden or tag in self.SKIP or values.get("translate") == "no"
        if not hidden:
            self.parts += [v for k, v in attrs if k in self.attrs and v]
            if tag == "input" and values.get("type") in ("submit", "button", "reset"):
                self.parts.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str, **kw: Any) -> str:
    parser = Visible(**kw)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def strays(text: str, language: str, allowed_words: set[str]) -> list[str]:
    if language == "en":
        for name in sorted(PROPER_NAMES, key=len, reverse=True):
            text = text.replace(name, " ")
        return sorted({m.group() for m in CJK.finditer(text)})
    text = TECHNICAL.sub(" ", text)
    return sorted({m.group() for m in WORD.finditer(text) if m.group() not in allowed_words})


def in_context(text: str, words: list[str]) -> list[str]:
    """Where each stray sits, for the failure message."""
    out = []
    for word in words:
        at = text.find(word)
        out.append(f"{word} in “{text[max(at - 15, 0) : at + len(word) + 15]}”")
    return out


def _client(user: User | None, language: str) -> Client:
    client = client_for(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def world(net: Net, leader: User, official: User, gridhead: User, worker: User) -> World:
    dept = department_user(net.street)
    resident = User.objects.create_user(username="resident", password="x" * 12)
    resident.display_name = "胡民贵"
    resident.save()
    superuser = User.objects.create_superuser(username="root", password="x" * 12)
    staff_net(net, worker, gridhead)
    now = timezone.now()
    open_case = _report(worker, now)
    case_services.case_accept(actor=gridhead, case=open_case, now=now)
    case_services.case_whistle(
        actor=gridhead, case=open_case, department=Department.objects.get(code="chengguan"), now=now
    )
    settled = _report(worker, now)
    case_services.case_accept(actor=gridhead, case=settled, now=now)
    case_services.case_resolve(actor=gridhead, case=settled, note=DESCRIPTION, now=now)
    household = home_in(net.m1, ADDRESS)
    person = register(official, household, name=PERSON, id_number=make_id())
    tenant = register(official, household, name=TENANT, id_number=make_id(seq="804"))
    refs = {
        "household": household,
        "person": person,
        "tag": registry_services.care_tag_add(
            actor=official, person=person, kind=CareKind.LIVING_ALONE
        ),
        "rental": registry_services.rental_create(
            actor=official, household=household, landlord=person, tenants=[tenant]
        ),
        "business": registry_services.business_create(
            actor=official, name=BUSINESS, business_type="shop", address=ADDRESS, micro_grid=net.m1
        ),
        "import": _imported(official),
        **_station(net, official, gridhead),
    }
    people = {
        "leader": leader,
        "worker": worker,
        "dept": dept,
        "resident": resident,
        "anonymous": None,
        "root": superuser,
    }
    return World(net, people, open_case, settled, refs)


def _station(net: Net, official: User, gridhead: User) -> dict[str, Any]:
    import datetime as dt

    from finegrid.workforce.models import ShiftKind
    from finegrid.workforce.services_shifts import ShiftSpec, shift_create
    from finegrid.workforce.services_stations import booking_create
    from tests.workforce.helpers_stations import at, make_station

    station = make_station(net.c1, STATION)
    station.address = ADDRESS
    station.save()
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    spec = ShiftSpec(
        gridhead.pk, ShiftKind.STATION_DUTY, net.c1.pk, at(monday, 9), at(monday, 17), station.pk
    )
    room = station.rooms.get()
    return {
        "station": station,
        "shift": shift_create(spec=spec),
        "booking": booking_create(
            actor=official,
            room=room,
            title=DESCRIPTION,
            starts_at=at(monday, 9),
            ends_at=at(monday, 10),
        ),
    }


def _report(worker: User, now: Any) -> Case:
    report = case_services.CaseReport(
        category="sanitation", description=DESCRIPTION, source="patrol", lat=30.01, lng=104.005
    )
    case, _created = case_services.case_report(actor=worker, report=report, now=now)
    return case


def _imported(official: User) -> Any:
    from finegrid.registry import imports

    content = csv_bytes(good_rows(2, ADDRESS))
    return imports.import_start(actor=official, upload=upload(content, "ledger.csv"))


def _walk(world: World, urls: list[str], personas: list[str], **kw: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    # login names are data, typed in Latin letters in either language
    allowed = ENGLISH_ALLOWED | set(User.objects.values_list("username", flat=True))
    for language in ("en", "zh-hans"):
        for persona in personas:
            user = world.people[persona]
            client = _client(user, language)
            for url in urls:
                response = client.get(url)
                assert response.status_code < 500, f"{url} as {persona}: {response.status_code}"
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                html = response.content.decode()
                assert f'lang="{language}"' in html or "<html" not in html, url
                text = visible_text(html, **kw)
                bad = strays(text, language, allowed)
                if bad:
                    found[f"{language} {persona} {url}"] = in_context(text, bad)
    return found


def test_every_page_speaks_only_the_language_chosen(world: World) -> None:
    urls = page_urls(world)
    found = _walk(world, urls, ["leader", "worker", "dept", "resident", "anonymous"])
    assert not found, "\n".join(f"{where}: {bad}" for where, bad in found.items())


def test_every_admin_page_speaks_only_the_language_chosen(world: World) -> None:
    # Django's admin hard-codes a few English image texts (the search icon, the True/False
    # icons), out of any catalogue's reach: images are not read here.
    found = _walk(world, admin_urls(), ["root"], attrs=frozenset({"title", "placeholder"}))
    assert not found, "\n".join(f"{where}: {bad}" for where, bad in found.items())


def test_the_walk_notices_the_other_language() -> None:
    assert strays(visible_text("<p>Case 环境卫生</p>"), "en", set()) == ["环境卫生"]
    assert strays(visible_text("<p>事件 Sanitation</p><code>x_y</code>"), "zh-hans", set()) == [
        "Sanitation"
    ]
    hidden = '<p translate="no">Sanitation</p><script>var a = "b";</script><input title="标题">'
    assert strays(visible_text(hidden), "zh-hans", set()) == []
    assert strays(visible_text(hidden), "en", set()) == ["标题"]
