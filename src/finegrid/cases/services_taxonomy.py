"""Writes to the taxonomy: case categories and the departments a grid can whistle.

Only the street's administrators may change them (``permissions.access_taxonomy_manage``,
decision 0006). Each service checks every field and reports every problem before writing
anything, writes in one transaction with an audit row, and moves the taxonomy generation in that
same transaction so the category cache of every process reloads (``categories.py``). A category
or department in use is deactivated, never deleted: the cases and whistles that name it keep it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role, User
from finegrid.cases.categories import forget_categories, taxonomy_bump
from finegrid.cases.models import Category, Department, Track
from finegrid.cases.permissions import access_taxonomy_manage
from finegrid.core.audit import Origin, audit_record
from finegrid.core.errors import InvalidInput, Problem
from finegrid.core.models import AuditAction

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
RESERVED_CODES = frozenset({"new"})  # the pages' own address for adding one
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
MAX_MINUTES = 366 * 24 * 60  # a year: a longer clock is a typing slip
NAME_MAX = 64
DESCRIPTION_MAX = 200
PHONE = re.compile(r"^[0-9+\- ]{3,20}$")

CATEGORY_CLOCKS = (
    "accept_minutes",
    "resolve_minutes_now",
    "resolve_minutes_coordinate",
    "resolve_minutes_follow_up",
)
DEPARTMENT_CLOCKS = ("report_in_minutes", "resolve_minutes")


@dataclass
class CategorySpec:
    """What an administrator writes about a category; codes name the parent and department."""

    name: str
    name_en: str
    description: str = ""
    description_en: str = ""
    parent: str = ""
    department: str = ""
    default_track: str = Track.NOW
    safety_critical: bool = False
    accept_minutes: int = 120
    resolve_minutes_now: int = 8 * 60
    resolve_minutes_coordinate: int = 3 * 8 * 60
    resolve_minutes_follow_up: int = 10 * 8 * 60
    active: bool = True


@dataclass
class DepartmentSpec:
    name: str
    name_en: str
    phone: str = ""
    report_in_minutes: int = 30
    resolve_minutes: int = 3 * 8 * 60
    staff: list[int] = field(default_factory=list)
    active: bool = True


def category_spec(category: Category) -> CategorySpec:
    """The spec a category stands at now: the start of an edit, or of a partial API change."""
    return CategorySpec(
        name=category.name,
        name_en=category.name_en,
        description=category.description,
        description_en=category.description_en,
        parent=category.parent.code if category.parent_id and category.parent else "",
        department=category.department.code
        if category.department_id and category.department
        else "",
        default_track=category.default_track,
        safety_critical=category.safety_critical,
        **{clock: getattr(category, clock) for clock in CATEGORY_CLOCKS},
        active=category.active,
    )


def department_spec(department: Department) -> DepartmentSpec:
    return DepartmentSpec(
        name=department.name,
        name_en=department.name_en,
        phone=department.phone,
        report_in_minutes=department.report_in_minutes,
        resolve_minutes=department.resolve_minutes,
        staff=sorted(department.staff.values_list("pk", flat=True)),
        active=department.active,
    )


# --- checks ---------------------------------------------------------------------------------


def _text(problems: list[Problem], value: Any, name: str, *, limit: int, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not isinstance(value, str):
        problems.append(Problem(_("Write text here."), field=name))
    elif required and not text:
        problems.append(Problem(_("Fill in this field."), field=name))
    elif len(text) > limit:
        problems.append(
            Problem(_("Write at most %(max)s characters."), field=name, params={"max": limit})
        )
    elif any(unicodedata.category(ch) == "Cc" for ch in text):
        problems.append(Problem(_("Control characters are not allowed here."), field=name))
    return text


def _english(problems: list[Problem], text: str, name: str) -> None:
    if CJK.search(text):
        problems.append(
            Problem(_("Write the English text without Chinese characters."), field=name)
        )


def _code(problems: list[Problem], code: Any, model: type[Category] | type[Department]) -> str:
    code = code.strip() if isinstance(code, str) else ""
    if not CODE.match(code) or code in RESERVED_CODES:
        problems.append(
            Problem(
                _(
                    "The code must be 2 to 32 lowercase letters, digits or underscores, "
                    "starting with a letter."
                ),
                field="code",
            )
        )
    elif model.objects.filter(code=code).exists():
        problems.append(Problem(_("This code is already taken."), field="code"))
    return code


def _minutes(problems: list[Problem], spec: Any, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
            problems.append(
                Problem(
                    _("A clock is a whole number of minutes from 1 to %(max)s."),
                    field=name,
                    params={"max": MAX_MINUTES},
                )
            )


def _parent(problems: list[Problem], code: str, current: Category | None) -> Category | None:
    if not code:
        return None
    parent = Category.objects.filter(code=code).first()
    if parent is None:
        problems.append(Problem(_("No such category."), field="parent"))
        return None
    if not parent.active:
        problems.append(Problem(_("The parent category is deactivated."), field="parent"))
    # Walk up from the new parent: meeting the category itself would close a loop.
    seen: set[int] = set()
    node: Category | None = parent
    while node is not None and node.pk not in seen:
        if current is not None and node.pk == current.pk:
            problems.append(
                Problem(
                    _("A category cannot sit under itself or its subcategories."), field="parent"
                )
            )
            return None
        seen.add(node.pk)
        node = node.parent
    return parent


def _department(problems: list[Problem], code: str) -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        problems.append(Problem(_("No such department."), field="department"))
    elif not department.active:
        problems.append(Problem(_("The department is deactivated."), field="department"))
    return department


def _checked_category(
    spec: CategorySpec, current: Category | None, problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": _text(problems, spec.name, "name", limit=NAME_MAX, required=True),
        "name_en": _text(problems, spec.name_en, "name_en", limit=NAME_MAX, required=True),
        "description": _text(
            problems, spec.description, "description", limit=DESCRIPTION_MAX, required=False
        ),
        "description_en": _text(
            problems, spec.description_en, "description_en", limit=DESCRIPTION_MAX, required=False
        ),
    }
    _english(problems, values["name_en"], "name_en")
    _english(problems, values["description_en"], "description_en")
    if spec.default_track not in Track.values:
        problems.append(Problem(_("Choose one of the three tracks."), field="default_track"))
    _minutes(problems, spec, CATEGORY_CLOCKS)
    values["parent"] = _parent(problems, spec.parent, current)
    values["department"] = _department(problems, spec.department)
    values["default_track"] = spec.default_track
    values["safety_critical"] = bool(spec.safety_critical)
    values["active"] = bool(spec.active)
    values.update({clock: getattr(spec, clock) for clock in CATEGORY_CLOCKS})
    if current is not None and current.active and not values["active"]:
        _may_deactivate(problems, current)
    return values


def _may_deactivate(problems: list[Problem], category: Category) -> None:
    children = list(category.children.filter(active=True).values_list("code", flat=True))
    if children:
        problems.append(
            Problem(
                _("Deactivate its subcategories first: %(codes)s."),
                field="active",
                params={"codes": ", ".join(children)},
            )
        )


def _staff(problems: list[Problem], ids: Any, current: Department | None) -> list[User]:
    """Holders of the department staff role; someone already on the staff may stay."""
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        problems.append(Problem(_("Staff are given as a list of user ids."), field="staff"))
        return []
    wanted = set(ids)
    found = list(
        User.objects.filter(
            pk__in=wanted, assignments__role=Role.DEPARTMENT_STAFF, is_active=True
        ).distinct()
    )
    if current is not None:
        found += list(current.staff.filter(pk__in=wanted - {u.pk for u in found}))
    missing = sorted(wanted - {u.pk for u in found})
    if missing:
        problems.append(
            Problem(
                _("Not department staff: user %(ids)s. Give them the department staff role first."),
                field="staff",
                params={"ids": ", ".join(str(i) for i in missing)},
            )
        )
    return found


def _checked_department(
    spec: DepartmentSpec, current: Department | None, problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": _text(problems, spec.name, "name", limit=NAME_MAX, required=True),
        "name_en": _text(problems, spec.name_en, "name_en", limit=NAME_MAX, required=True),
        "phone": _text(problems, spec.phone, "phone", limit=20, required=False),
    }
    _english(problems, values["name_en"], "name_en")
    if values["phone"] and not PHONE.match(values["phone"]):
        problems.append(
            Problem(_("A phone number has digits, spaces, + and - only."), field="phone")
        )
    _minutes(problems, spec, DEPARTMENT_CLOCKS)
    values.update({clock: getattr(spec, clock) for clock in DEPARTMENT_CLOCKS})
    values["active"] = bool(spec.active)
    values["staff"] = _staff(problems, spec.staff, current)
    return values


# --- writes ---------------------------------------------------------------------------------


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(obj, name) != value]


def _committed() -> None:
    taxonomy_bump()
    transaction.on_commit(forget_categories)


def category_create(
    *, actor: User, code: str, spec: CategorySpec, origin: Origin | None = None
) -> Category:
    access_taxonomy_manage(actor)
    problems: list[Problem] = []
    code = _code(problems, code, Category)
    values = _checked_category(spec, None, problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        category = Category.objects.create(code=code, **values)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=category,
            label=f"{category.code} {category.name}",
            fields=["code", *values],
            origin=origin,
        )
        _committed()
    return category


def category_update(
    *, actor: User, category: Category, spec: CategorySpec, origin: Origin | None = None
) -> Category:
    """The code stays: reporting clients and Open311 services name the category by it."""
    access_taxonomy_manage(actor)
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        problems: list[Problem] = []
        values = _checked_category(spec, category, problems)
        if problems:
            raise InvalidInput(problems)
        changed = _changed(category, values)
        if changed:
            for name in changed:
                setattr(category, name, values[name])
            category.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=category,
                label=f"{category.code} {category.name}",
                fields=changed,
                origin=origin,
            )
            _committed()
    return category


def category_deactivate(
    *, actor: User, category: Category, origin: Origin | None = None
) -> Category:
    """No new case may be reported under it; the cases already under it keep it."""
    access_taxonomy_manage(actor)
    with transaction.atomic():
        # the spec from the locked row: an edit committed meanwhile is kept, not undone
        category = Category.objects.select_for_update().get(pk=category.pk)
        spec = category_spec(category)
        spec.active = False
        return category_update(actor=actor, category=category, spec=spec, origin=origin)


def category_delete(*, actor: User, category: Category, origin: Origin | None = None) -> None:
    """Only a category nothing refers to (a slip just made); one in use is deactivated."""
    access_taxonomy_manage(actor)
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        if category.cases.exists() or category.children.exists():
            raise InvalidInput(
                Problem(
                    _("The category is in use: deactivate it instead of deleting it."),
                    field="code",
                )
            )
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            target=category,
            label=f"{category.code} {category.name}",
            origin=origin,
        )
        category.delete()
        _committed()


def department_create(
    *, actor: User, code: str, spec: DepartmentSpec, origin: Origin | None = None
) -> Department:
    access_taxonomy_manage(actor)
    problems: list[Problem] = []
    code = _code(problems, code, Department)
    values = _checked_department(spec, None, problems)
    if problems:
        raise InvalidInput(problems)
    staff = values.pop("staff")
    with transaction.atomic():
        department = Department.objects.create(code=code, **values)
        department.staff.set(staff)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=department,
            label=f"{department.code} {department.name}",
            fields=["code", "staff", *values],
            origin=origin,
        )
        _committed()
    return department


def department_update(
    *, actor: User, department: Department, spec: DepartmentSpec, origin: Origin | None = None
) -> Department:
    access_taxonomy_manage(actor)
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        problems: list[Problem] = []
        values = _checked_department(spec, department, problems)
        if problems:
            raise InvalidInput(problems)
        staff = values.pop("staff")
        changed = _changed(department, values)
        if {u.pk for u in staff} != set(department.staff.values_list("pk", flat=True)):
            department.staff.set(staff)
            changed.append("staff")
        if changed:
            for name in set(changed) - {"staff"}:
                setattr(department, name, values[name])
            department.save(update_fields=[*(set(changed) - {"staff"}), "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=department,
                label=f"{department.code} {department.name}",
                fields=changed,
                origin=origin,
            )
            _committed()
    return department


def department_deactivate(
    *, actor: User, department: Department, origin: Origin | None = None
) -> Department:
    """It is no longer offered to whistle; whistles already open run to their end."""
    access_taxonomy_manage(actor)
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        spec = department_spec(department)
        spec.active = False
        return department_update(actor=actor, department=department, spec=spec, origin=origin)
