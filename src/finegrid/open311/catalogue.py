"""The Open311 "services": our case categories, with groups, keywords and attributes.

Every service has the ``urgency`` attribute; some have more, asked because the grid needs them to
act (is anyone in danger from the gas leak now?). Attribute values that are not the urgency are
written under the description, in the platform's language, so the handler reads them with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finegrid.cases.models import Category, Urgency
from finegrid.open311.errors import Fault

Label = str | Promise


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # the spec's: string, number, text, singlevaluelist
    label: Label  # short, written before the value under the case description
    description: Label  # the question put to the user
    required: bool = False
    values: tuple[tuple[str, Label], ...] = ()
    datatype_description: Label | None = None

    def as_dict(self, order: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": (
                str(self.datatype_description) if self.datatype_description else None
            ),
            "order": order,
            "description": str(self.description),
        }
        if self.values:
            out["values"] = [{"key": key, "name": str(name)} for key, name in self.values]
        return out


YES_NO = (("yes", _("Yes")), ("no", _("No")))

URGENCY = Attribute(
    "urgency",
    "singlevaluelist",
    _("Urgency"),
    _("How urgent is it?"),
    values=tuple((u.value, u.label) for u in Urgency),
)


def _danger(question: Label) -> Attribute:
    return Attribute(
        "danger_now",
        "singlevaluelist",
        _("Danger now"),
        question,
        required=True,
        values=YES_NO,
        datatype_description=_("Answering yes makes the report critical."),
    )


EXTRA: dict[str, tuple[Attribute, ...]] = {
    "gas": (_danger(_("Can you smell gas indoors, or is anyone unwell right now?")),),
    "fire": (_danger(_("Is there fire or smoke right now?")),),
    "sanitation": (
        Attribute(
            "waste_kind",
            "singlevaluelist",
            _("Kind of waste"),
            _("What kind of waste is it?"),
            values=(
                ("household", _("Household waste")),
                ("construction", _("Construction debris")),
                ("bulky", _("Bulky items")),
                ("other", _("Other")),
            ),
        ),
    ),
    "dispute": (
        Attribute(
            "households",
            "number",
            _("Households involved"),
            _("How many households are involved?"),
            datatype_description=_("A whole number, such as 2."),
        ),
    ),
    "property": (
        Attribute(
            "estate",
            "string",
            _("Estate"),
            _("Which estate, and which property company, if you know?"),
        ),
    ),
}


@dataclass(frozen=True)
class Listing:
    group: Label
    keywords: Label
    description: Label


SAFETY, ENVIRONMENT, COMMUNITY, ORDER = (
    _("Safety"),
    _("Environment"),
    _("Community life"),
    _("Public order"),
)
LISTINGS: dict[str, Listing] = {
    "safety_hazard": Listing(
        SAFETY,
        _("hazard, danger, broken railing, loose wires, blocked exit"),
        _("Something that could hurt people: loose wires, broken railings, blocked exits."),
    ),
    "gas": Listing(
        SAFETY,
        _("gas, smell of gas, gas leak, gas pipe"),
        _("A smell of gas, a leaking gas pipe or meter. Handled at once, day and night."),
    ),
    "fire": Listing(
        SAFETY,
        _("fire, smoke, fire exit, extinguisher, e-bike charging"),
        _("Fire hazards: blocked fire exits, e-bikes charging indoors, missing extinguishers."),
    ),
    "sanitation": Listing(
        ENVIRONMENT,
        _("rubbish, garbage, litter, dirty stairwell"),
        _("Rubbish not collected, litter, dirty stairwells and public spaces."),
    ),
    "dispute": Listing(
        COMMUNITY,
        _("dispute, quarrel, neighbours, noise"),
        _("A dispute between neighbours or households that needs someone to mediate."),
    ),
    "livelihood": Listing(
        COMMUNITY,
        _("help, need, elderly, welfare"),
        _("A need of residents: help for the elderly, welfare, everyday services."),
    ),
    "public_order": Listing(
        ORDER,
        _("public order, security, theft, suspicious"),
        _("Public order and security: theft, suspicious activity, disturbances."),
    ),
    "city_management": Listing(
        ORDER,
        _("street stalls, illegal parking, signboards, occupied road"),
        _("Street order: stalls on the road, illegal parking, unsafe signboards."),
    ),
    "environment": Listing(
        ENVIRONMENT,
        _("pollution, smoke, sewage, noise at night"),
        _("Pollution: smoke, sewage, noise from works at night."),
    ),
    "property": Listing(
        COMMUNITY,
        _("property management, lift, leaking roof, estate"),
        _("Problems for the property company: lifts, leaking roofs, shared facilities."),
    ),
}


def attributes_of(code: str) -> tuple[Attribute, ...]:
    return (URGENCY, *EXTRA.get(code, ()))


def name_of(category: Category) -> str:
    return category.label


def service_of(category: Category) -> dict[str, Any]:
    listing = LISTINGS.get(category.code)
    return {
        "service_code": category.code,
        "service_name": name_of(category),
        "description": str(listing.description) if listing else category.description_label,
        "metadata": True,  # every service has at least the urgency attribute
        "type": "realtime",
        "keywords": str(listing.keywords) if listing else "",
        "group": str(listing.group) if listing else "",
    }


def definition_of(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [a.as_dict(order) for order, a in enumerate(attributes_of(category.code), 1)],
    }


@dataclass
class Answers:
    urgency: str = Urgency.NORMAL
    lines: list[str] = field(default_factory=list)


def read_answers(code: str, given: dict[str, list[str]], faults: list[Fault]) -> Answers:
    """Check ``attribute[code]`` values against the service's definition; faults name each
    bad one. Answers the urgency and the lines to write under the description."""
    known = {a.code: a for a in attributes_of(code)}
    answers = Answers()
    for name in sorted(set(given) - set(known)):
        faults.append(
            Fault(_("attribute[%(code)s] is not an attribute of this service."), {"code": name})
        )
    danger = False
    for attribute in known.values():
        values = [v.strip() for v in given.get(attribute.code, []) if v.strip()]
        if not values:
            if attribute.required:
                faults.append(
                    Fault(_("attribute[%(code)s] was not provided."), {"code": attribute.code})
                )
            continue
        value = values[-1]
        bad = len(values) > 1
        if attribute.datatype == "singlevaluelist":
            bad = bad or value not in dict(attribute.values)
        elif attribute.datatype == "number":
            bad = bad or not (value.isdigit() and int(value) <= 100_000)
        else:
            bad = bad or len(value) > 200
        if bad:
            faults.append(
                Fault(
                    _("attribute[%(code)s] has a value this service does not accept."),
                    {"code": attribute.code},
                )
            )
            continue
        if attribute.code == URGENCY.code:
            answers.urgency = value
            continue
        danger = danger or (attribute.code == "danger_now" and value == "yes")
        with translation.override(settings.LANGUAGE_CODE):
            answers.lines.append(f"{attribute.label}：{names_in_platform(attribute, value)}")
    if danger:
        answers.urgency = Urgency.CRITICAL
    return answers


def names_in_platform(attribute: Attribute, value: str) -> str:
    """The value as the platform's people read it (its label for a list, else as typed)."""
    return str(dict(attribute.values).get(value, value))
