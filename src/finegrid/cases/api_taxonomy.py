"""/api/v1/cases/categories and /api/v1/cases/departments: the taxonomy, read and kept.

Every signed-in user reads the active categories (a reporting client needs them); staff read the
active departments. Writes are the street administrators' (decision 0006): anyone else answers
403. A category or department is named by its code, which never changes; one in use is
deactivated, and only a category nothing refers to may be deleted.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from finegrid.accounts.actors import signed_in
from finegrid.accounts.api import API_AUTH
from finegrid.cases import selectors_taxonomy as selectors
from finegrid.cases import services_taxonomy as services
from finegrid.cases.models import Category, Department
from finegrid.core.audit import Origin
from finegrid.core.schemas import Input, LongText

categories = Router(tags=["taxonomy"], auth=API_AUTH)
departments = Router(tags=["taxonomy"], auth=API_AUTH)


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    label: str = Field(description="the name in the language of the request")
    description: str
    description_en: str
    parent: str | None
    department: str | None = Field(description="the department the whistle form offers first")
    default_track: str
    safety_critical: bool
    accept_minutes: int
    resolve_minutes_now: int
    resolve_minutes_coordinate: int
    resolve_minutes_follow_up: int
    active: bool
    case_count: int


class CategoryChange(Input):
    name: str | None = None
    name_en: str | None = None
    description: LongText | None = None
    description_en: LongText | None = None
    parent: str | None = Field(None, description="code of the parent category; empty for none")
    department: str | None = Field(None, description="code of the usual department; empty")
    default_track: str | None = None
    safety_critical: bool | None = None
    accept_minutes: int | None = None
    resolve_minutes_now: int | None = None
    resolve_minutes_coordinate: int | None = None
    resolve_minutes_follow_up: int | None = None
    active: bool | None = None


class CategoryCreate(CategoryChange):
    code: str = Field(description="2-32 lowercase letters, digits or _; never changes")
    name: str  # type: ignore[assignment]
    name_en: str  # type: ignore[assignment]


class StaffOut(Schema):
    id: int
    name: str


class DepartmentOut(Schema):
    code: str
    name: str
    name_en: str
    label: str
    phone: str
    report_in_minutes: int = Field(description="calendar minutes to report in after a whistle")
    resolve_minutes: int = Field(description="working minutes to resolve")
    staff: list[StaffOut]
    active: bool


class DepartmentChange(Input):
    name: str | None = None
    name_en: str | None = None
    phone: str | None = None
    report_in_minutes: int | None = None
    resolve_minutes: int | None = None
    staff: list[int] | None = Field(None, description="user ids holding the department role")
    active: bool | None = None


class DepartmentCreate(DepartmentChange):
    code: str
    name: str  # type: ignore[assignment]
    name_en: str  # type: ignore[assignment]


def _category(c: Category) -> dict[str, Any]:
    return {
        **dataclasses.asdict(services.category_spec(c)),
        "code": c.code,
        "label": c.label,
        "parent": c.parent.code if c.parent else None,
        "department": c.department.code if c.department else None,
        "case_count": getattr(c, "case_count", 0),
    }


def _department(d: Department) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "name_en": d.name_en,
        "label": d.label,
        "phone": d.phone,
        "report_in_minutes": d.report_in_minutes,
        "resolve_minutes": d.resolve_minutes,
        "staff": [{"id": u.pk, "name": str(u)} for u in d.staff.all()],
        "active": d.active,
    }


TEXT = frozenset(
    {"name", "name_en", "description", "description_en", "parent", "department", "phone"}
)


def _given(payload: Schema, *drop: str) -> dict[str, Any]:
    """The fields the client sent: null clears a text (no parent, no phone), and leaves any
    other field as it was."""
    given: dict[str, Any] = {}
    for name, value in payload.dict(exclude_unset=True).items():
        if name in drop or (value is None and name not in TEXT):
            continue
        given[name] = "" if value is None else value
    return given


@categories.get(
    "",
    response=list[CategoryOut],
    summary="The case categories",
    description=(
        "The active case categories with their clocks (accept and resolve minutes per track),"
        " for any signed-in user: a reporting client offers them. `all=true` adds the "
        "deactivated ones, for the taxonomy keepers only (street leaders or system "
        "administrators over every street, decision 0006); anyone else asking for it answers "
        "403."
    ),
)
def category_list(request: HttpRequest, all: bool = False) -> list[dict[str, Any]]:
    found = selectors.category_list(user=request.user, include_inactive=all)
    return [_category(c) for c in found]


@categories.post(
    "",
    response={201: CategoryOut},
    summary="Add a category (administrators)",
    description=(
        "Add a category. Street leaders or system administrators over every street only "
        "(decision 0006): anyone else answers 403. `code` (2-32 lowercase letters, digits or "
        "_) is unique and never changes. A taken or malformed code, a missing or too long "
        "name, an unknown parent or department, or a clock that is not a whole number of "
        "minutes within range answers 422 naming every bad field. Recorded in the audit log."
    ),
)
def category_create(request: HttpRequest, payload: CategoryCreate) -> tuple[int, dict[str, Any]]:
    given = _given(payload, "code")
    spec = services.CategorySpec(**given)
    category = services.category_create(
        actor=signed_in(request), code=payload.code, spec=spec, origin=Origin.of(request)
    )
    return 201, _category(selectors.category_get(user=request.user, code=category.code))


@categories.get(
    "/{code}",
    response=CategoryOut,
    summary="One category",
    description=(
        "One active category by its code, for any signed-in user. A deactivated or unknown "
        "code answers 404 naming `code`."
    ),
)
def category_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return _category(selectors.category_get(user=request.user, code=code))


@categories.patch(
    "/{code}",
    response=CategoryOut,
    summary="Change a category (administrators)",
    description=(
        "Change the fields sent (null clears a text such as the parent or the department). "
        "Street leaders or system administrators over every street only (decision 0006): "
        "anyone else answers 403. An unknown code answers 404; a bad field 422 naming every "
        "one (a parent that would make a loop, deactivating a category with active "
        "subcategories). The cases already reported keep their deadlines. Recorded in the "
        "audit log."
    ),
)
def category_update(request: HttpRequest, code: str, payload: CategoryChange) -> dict[str, Any]:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    spec = dataclasses.replace(services.category_spec(category), **_given(payload))
    services.category_update(
        actor=signed_in(request), category=category, spec=spec, origin=Origin.of(request)
    )
    return _category(selectors.category_get(user=request.user, code=code, manage=True))


@categories.post(
    "/{code}/deactivate",
    response=CategoryOut,
    summary="Deactivate a category",
    description=(
        "No new case may be reported under the category; cases already under it keep it. "
        "Street leaders or system administrators over every street only (decision 0006): "
        "anyone else answers 403. An unknown code answers 404; a category with active "
        "subcategories 422 naming `active`. Recorded in the audit log."
    ),
)
def category_deactivate(request: HttpRequest, code: str) -> dict[str, Any]:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    services.category_deactivate(
        actor=signed_in(request), category=category, origin=Origin.of(request)
    )
    return _category(selectors.category_get(user=request.user, code=code, manage=True))


@categories.delete(
    "/{code}",
    response={204: None},
    summary="Delete a category no case uses",
    description=(
        "Delete a category nothing refers to (a slip just made). Street leaders or system "
        "administrators over every street only (decision 0006): anyone else answers 403. An "
        "unknown code answers 404; one that any case or subcategory uses answers 422 naming "
        "`code`: deactivate it instead. Recorded in the audit log."
    ),
)
def category_delete(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get(user=request.user, code=code, manage=True)
    services.category_delete(actor=signed_in(request), category=category, origin=Origin.of(request))
    return HttpResponse(status=204)


@departments.get(
    "",
    response=list[DepartmentOut],
    summary="The departments a grid can whistle",
    description=(
        "The active departments a grid may whistle, with their report-in and resolve clocks "
        "and staff, for anyone holding a staff role (not auditors or residents: 403). "
        "`all=true` adds the deactivated ones, for the taxonomy keepers only (street leaders "
        "or system administrators over every street): anyone else answers 403."
    ),
)
def department_list(request: HttpRequest, all: bool = False) -> list[dict[str, Any]]:
    return [
        _department(d) for d in selectors.department_list(user=request.user, include_inactive=all)
    ]


@departments.post(
    "",
    response={201: DepartmentOut},
    summary="Add a department (administrators)",
    description=(
        "Add a department a grid may whistle. Street leaders or system administrators over "
        "every street only (decision 0006): anyone else answers 403. A taken or malformed "
        "`code`, a missing name, non-positive minutes, or `staff` ids not holding the "
        "department staff role answers 422 naming every bad field. Recorded in the audit log."
    ),
)
def department_create(
    request: HttpRequest, payload: DepartmentCreate
) -> tuple[int, dict[str, Any]]:
    given = _given(payload, "code")
    spec = services.DepartmentSpec(**given)
    department = services.department_create(
        actor=signed_in(request), code=payload.code, spec=spec, origin=Origin.of(request)
    )
    return 201, _department(
        selectors.department_get(user=request.user, code=department.code, manage=True)
    )


@departments.get(
    "/{code}",
    response=DepartmentOut,
    summary="One department",
    description=(
        "One active department by its code, for anyone holding a staff role (403 otherwise). "
        "A deactivated or unknown code answers 404 naming `code`."
    ),
)
def department_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return _department(selectors.department_get(user=request.user, code=code))


@departments.patch(
    "/{code}",
    response=DepartmentOut,
    summary="Change a department",
    description=(
        "Change the fields sent, `staff` replacing the whole list (user ids holding the "
        "department staff role). Street leaders or system administrators over every street "
        "only (decision 0006): anyone else answers 403. An unknown code answers 404; a bad "
        "field 422 naming every one. Whistles already open keep their deadlines. Recorded in "
        "the audit log."
    ),
)
def department_update(request: HttpRequest, code: str, payload: DepartmentChange) -> dict[str, Any]:
    department = selectors.department_get(user=request.user, code=code, manage=True)
    spec = dataclasses.replace(services.department_spec(department), **_given(payload))
    services.department_update(
        actor=signed_in(request), department=department, spec=spec, origin=Origin.of(request)
    )
    return _department(selectors.department_get(user=request.user, code=code, manage=True))


@departments.post(
    "/{code}/deactivate",
    response=DepartmentOut,
    summary="Deactivate a department",
    description=(
        "The department is no longer offered to whistle; whistles already open run to their "
        "end. Street leaders or system administrators over every street only (decision 0006):"
        " anyone else answers 403. An unknown code answers 404. Recorded in the audit log."
    ),
)
def department_deactivate(request: HttpRequest, code: str) -> dict[str, Any]:
    department = selectors.department_get(user=request.user, code=code, manage=True)
    services.department_deactivate(
        actor=signed_in(request), department=department, origin=Origin.of(request)
    )
    return _department(selectors.department_get(user=request.user, code=code, manage=True))
