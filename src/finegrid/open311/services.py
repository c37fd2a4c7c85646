"""Writes for Open311: issuing and revoking keys, and taking in a service request as a case."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import Case, Category, Source
from finegrid.cases.selectors import parse_id
from finegrid.cases.services import CaseReport, case_report
from finegrid.core import text
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.paths import under
from finegrid.grids.models import Grid, Household
from finegrid.grids.selectors import locate
from finegrid.open311 import catalogue
from finegrid.open311.errors import Fault, Open311Error, bad_request, forbidden, not_found
from finegrid.open311.models import ApiKey

KEY_PREFIX = "fg311_"
DESCRIPTION_MAX = 4000  # the spec's limit
CJK = re.compile(r"[\u3400-\u9fff]")
# case_report's field names → the Open311 parameter a client sent
PARAMETERS = {
    "category": "service_code",
    "description": "description",
    "lat": "lat",
    "household_id": "address_id",
    "reporter_phone": "phone",
    "urgency": "attribute[urgency]",
    "Idempotency-Key": "Idempotency-Key",
}


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, grid: Grid) -> tuple[ApiKey, str]:
    """A new key for ``grid``'s subtree. Answers the key itself, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(Problem(_("Give the key a name."), field="name"))
    raw = KEY_PREFIX + secrets.token_urlsafe(24)
    key = ApiKey.objects.create(name=name, prefix=raw[:10], digest=key_digest(raw), grid=grid)
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, now: dt.datetime | None = None) -> ApiKey:
    key.active = False
    key.revoked_at = key.revoked_at or now or timezone.now()
    key.save(update_fields=["active", "revoked_at", "updated_at"])
    return key


def api_key_check(raw: str | None) -> ApiKey:
    """The active key with this value, or 403 in the spec's form."""
    if not raw:
        raise forbidden(_("api_key was not provided."))
    key = (
        ApiKey.objects.select_related("grid")
        .filter(digest=key_digest(raw.strip()), active=True)
        .first()
    )
    if key is None:
        raise forbidden(_("api_key is not valid."))
    return key


# --- POST requests ----------------------------------------------------------------------------

Params = dict[str, list[str]]


def _one(params: Params, name: str) -> str:
    values = params.get(name) or [""]
    return values[-1].strip()


def _attributes(params: Params) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v`` (the spec's form for lists)."""
    out: dict[str, list[str]] = {}
    for name, values in params.items():
        found = re.fullmatch(r"attribute\[([^\]]+)\](\[\])?", name)
        if found:
            out.setdefault(found.group(1), []).extend(values)
    return out


@dataclass
class Place:
    path: str = ""
    lat: float | None = None
    lng: float | None = None
    household_id: int | None = None


def _place(params: Params, key: ApiKey, faults: list[Fault]) -> Place:
    """Where the report is, from address_id, lat/long or address_string (tried in that order),
    and only within the key's jurisdiction."""
    address_id, lat, lng = _one(params, "address_id"), _one(params, "lat"), _one(params, "long")
    address = _one(params, "address_string")
    place = Place()
    if address_id:
        pk = parse_id(address_id)
        home = Household.objects.filter(pk=pk).only("grid_path").first() if pk is not None else None
        if home is None:
            faults.append(Fault(_("address_id %(id)s was not found."), {"id": address_id}))
            return place
        place.household_id, place.path = home.pk, home.grid_path
    elif lat or lng:
        try:
            place.lat, place.lng = float(lat), float(lng)
        except ValueError:
            faults.append(Fault(_("lat and long must both be sent, as decimal degrees.")))
            return place
        if not (-90 <= place.lat <= 90 and -180 <= place.lng <= 180):
            faults.append(Fault(_("lat and long are out of range.")))
            return place
        hit = locate(lat=place.lat, lng=place.lng)
        if hit is None:
            faults.append(Fault(_("The location given by lat and long lies outside every grid.")))
            return place
        place.path = hit.path
    elif address:
        # An address alone is placed only if exactly one household in the key's jurisdiction
        # has it: a guess would send the case to the wrong grid's people.
        homes = list(
            Household.objects.filter(under("grid_path", key.grid.path), address=address)
            .only("grid_path")
            .order_by("id")[:2]
        )
        if len(homes) != 1:
            faults.append(
                Fault(_("address_string could not be placed: send lat and long, or address_id."))
            )
            return place
        place.household_id, place.path = homes[0].pk, homes[0].grid_path
    else:
        faults.append(
            Fault(
                _("A location was not provided: send lat and long, address_string or address_id.")
            )
        )
        return place
    if not place.path.startswith(key.grid.path):
        faults.append(
            Fault(
                _("The location lies outside the jurisdiction of this api_key (%(grid)s)."),
                {"grid": key.grid.name},
            )
        )
    return place


def _reporter_name(first: str, last: str) -> str:
    if CJK.search(first + last):
        return f"{last}{first}"  # 姓 then 名, no space
    return " ".join(p for p in (first, last) if p)


def _media(url: str, faults: list[Fault]) -> list[dict[str, str]]:
    if not url:
        return []
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        faults.append(Fault(_("media_url is not a web address (http or https).")))
        return []
    if len(url) > 500:
        faults.append(Fault(_("media_url is too long.")))
        return []
    return [{"url": url}]


def _phone(phone: str, faults: list[Fault]) -> None:
    from finegrid.registry.validators import normalize_phone

    if phone:
        try:
            normalize_phone(phone, field="phone")
        except InvalidInput:
            faults.append(Fault(_("phone is not a mainland mobile number (11 digits).")))


def _category(params: Params) -> Category:
    code = _one(params, "service_code")
    if not code:
        raise bad_request(_("service_code was not provided."))
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise not_found(_("service_code %(code)s was not found."), code=code)
    return category


def _refuse_control_characters(params: Params) -> None:
    """Each parameter holding a character no text may (see core.text), named in one 400; only
    the description takes several lines."""
    faults = []
    for name, values in params.items():
        for value in values:
            found = text.find_refused(value.strip(), multiline=name == "description")
            if found is not None:
                kind, where = found
                message = text.LINE_MESSAGE if kind == "line_break" else text.CONTROL_MESSAGE
                faults.append(Fault(message, {"field": name, **where}))
                break
    if faults:
        raise Open311Error(400, faults)


def report_of(params: Params, key: ApiKey) -> CaseReport:
    """The case report an Open311 POST asks for; every bad parameter is named in one 400."""
    _refuse_control_characters(params)
    category = _category(params)
    faults: list[Fault] = []
    description = text.normalize_newlines(_one(params, "description"))
    if not description:
        faults.append(Fault(_("description was not provided.")))
    elif len(description) > DESCRIPTION_MAX:
        faults.append(Fault(_("description is longer than 4,000 characters.")))
    place = _place(params, key, faults)
    answers = catalogue.read_answers(category.code, _attributes(params), faults)
    phone = _one(params, "phone")
    _phone(phone, faults)
    photos = _media(_one(params, "media_url"), faults)
    name = _reporter_name(_one(params, "first_name"), _one(params, "last_name"))
    if len(name) > 64:
        faults.append(Fault(_("first_name and last_name are too long.")))
    if faults:
        raise Open311Error(400, faults)
    if answers.lines:
        description = description + "\n\n" + "\n".join(answers.lines)
    return CaseReport(
        category=category.code,
        description=description,
        source=Source.OPEN311,
        lat=place.lat,
        lng=place.lng,
        household_id=place.household_id,
        address=_one(params, "address_string")[:200],
        urgency=answers.urgency,
        reporter_name=name,
        reporter_phone=phone,
        photos=photos,
    )


def _render(message: str | Promise, params: dict[str, Any] | None) -> str:
    return str(message) % params if params else str(message)


# translated when the answer is rendered, in the language the client asked for
_formatted = lazy(_render, str)


@transaction.atomic
def request_submit(
    *,
    key: ApiKey,
    params: Params,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> tuple[Case, bool]:
    """POST requests: a case from an Open311 client. Answers (case, created); a replay of the
    same ``Idempotency-Key`` with the same body answers the first case."""
    report = report_of(params, key)
    try:
        case, created = case_report(
            actor=None,
            report=report,
            idempotency_key=idempotency_key,
            caller=f"o311:{key.pk}",
            now=now,
        )
    except InvalidInput as exc:
        raise Open311Error(
            400,
            [
                Fault(
                    _("%(parameter)s: %(problem)s"),
                    {
                        "parameter": PARAMETERS.get(p.field or "", p.field),
                        "problem": _formatted(p.message, p.params),
                    },
                )
                for p in exc.problems
            ],
        ) from exc
    # The place was checked above; this holds it against a boundary redrawn in between (the
    # transaction then rolls the case back).
    if not case.grid_path.startswith(key.grid.path):
        raise bad_request(
            _("The location lies outside the jurisdiction of this api_key (%(grid)s)."),
            grid=key.grid.name,
        )
    return case, created
