"""/api/v1/care: meal rounds (助餐) — subscriptions, the deliverer's round of the day, delivery at
the door, and the welfare check a door nobody opens starts.

A subscription, delivery or check outside the caller's reach answers 404 like a missing one; an
action the caller may not take 403; one the state does not allow 409; bad input 422 naming each
field (and row, for several subscriptions at once), with nothing written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from finegrid.accounts.api import API_AUTH
from finegrid.care import selectors_daily, selectors_meals
from finegrid.care import services_meals as services
from finegrid.care.models import MealDelivery
from finegrid.core.schemas import Input

router = Router(auth=API_AUTH)


class MealSubscriptionIn(Input):
    person: int
    days: list[int] = Field(..., description="ISO weekdays, 1 = Monday … 7 = Sunday")
    diet: str = Field(
        "regular", description="regular, soft, low_salt, low_sugar, vegetarian, halal"
    )
    diet_note: str = Field("", max_length=100)
    price: Decimal = Field(..., description="yuan per meal, 0–100")
    payer: str = Field(..., description="self, subsidy or family")
    deliverer: str = Field(..., description="the deliverer's login (a rider or a volunteer)")
    starts_on: dt.date | None = None


class MealSubscriptionsIn(Input):
    subscriptions: list[MealSubscriptionIn]


class MealSubscriptionChange(Input):
    days: list[int] | None = None
    diet: str | None = None
    diet_note: str | None = Field(None, max_length=100)
    price: Decimal | None = None
    payer: str | None = None
    deliverer: str | None = None


class MealSubscriptionEndIn(Input):
    reason: str = Field("", max_length=200)


class MealSubscriptionOut(Schema):
    id: int
    person: dict[str, Any]
    place: str
    micro_grid: dict[str, str]
    days: list[int]
    days_label: str
    diet: str
    diet_label: str
    diet_note: str
    price: str
    payer: str
    payer_label: str
    deliverer: dict[str, str]
    starts_on: str
    ended_at: str | None


class WelfareCheckBrief(Schema):
    id: int
    status: str
    status_label: str
    due_at: str | None
    call: int | None
    case: int | None


class MealDeliveryOut(Schema):
    id: int
    seq: int
    person: str
    place: str
    building: str
    unit: int | None
    floor: int | None
    room: str
    diet: str
    diet_label: str
    diet_note: str
    status: str
    status_label: str
    confirmed_at: str | None
    note: str
    welfare: WelfareCheckBrief | None


class MealRoundOut(Schema):
    round: int
    day: str
    deliverer: dict[str, str]
    counts: dict[str, int]
    deliveries: list[MealDeliveryOut]


class MealDeliveryConfirmIn(Input):
    result: str = Field(..., description="delivered or no_answer")
    note: str = Field("", max_length=200)


class WelfareCheckOut(WelfareCheckBrief):
    delivery: int
    person: str
    place: str
    micro_grid: dict[str, str]
    opened_at: str | None
    opened_by: dict[str, Any]
    assigned_to: dict[str, Any] | None
    cleared_at: str | None
    note: str
    escalated_at: str | None


class WelfareClearIn(Input):
    note: str = Field("", max_length=500)


def _spec(s: MealSubscriptionIn) -> services.SubscriptionSpec:
    return services.SubscriptionSpec(
        person=s.person,
        days=s.days,
        diet=s.diet,
        diet_note=s.diet_note,
        price=s.price,
        payer=s.payer,
        deliverer=s.deliverer,
        starts_on=s.starts_on,
    )


def _subscriptions(request: HttpRequest, made: list[Any]) -> list[dict[str, Any]]:
    return selectors_meals.subscriptions_list(
        user=request.user, include_ended=True, ids=[m.pk for m in made]
    )


@router.get(
    "/meal-subscriptions",
    response=list[MealSubscriptionOut],
    summary="Meal subscriptions (助餐) under a grid",
    description=(
        "The meal subscriptions in your jurisdiction (micro-grid worker or official), "
        "optionally under `grid` (404 naming `grid` outside your jurisdiction) or of one "
        "`deliverer` login; ended ones only with `include_ended`."
    ),
)
def subscriptions_list(
    request: HttpRequest,
    grid: str = Query("", description="a grid's code; all of your jurisdiction without it"),
    deliverer: str = Query("", description="only this deliverer's (login)"),
    include_ended: bool = False,
) -> list[dict[str, Any]]:
    found = selectors_daily.visible_grid(request.user, grid) if grid else None
    return selectors_meals.subscriptions_list(
        user=request.user, grid=found, deliverer=deliverer, include_ended=include_ended
    )


@router.post(
    "/meal-subscriptions",
    response={201: MealSubscriptionOut},
    summary="Subscribe a person to meals: days, diet, price, who pays, deliverer",
    description=(
        "Subscribe one person to meals. For a grid head, grid worker or official over the "
        "person's household (403 for any other role). An unknown or invisible person, one "
        "with no household or already subscribed, bad days (1-7), a price outside 0-100 yuan,"
        " an unknown payer, diet or deliverer login answers 422 naming each field; nothing is"
        " written."
    ),
)
def subscription_create(request: HttpRequest, payload: MealSubscriptionIn) -> tuple[int, Any]:
    made = services.meal_subscriptions_create(
        actor=request.user, specs=[_spec(payload)], rows=False
    )
    return 201, _subscriptions(request, made)[0]


@router.post(
    "/meal-subscriptions/bulk",
    response={201: list[MealSubscriptionOut]},
    summary="Subscribe several people at once: all of them, or none with the bad rows named",
    description=(
        "Subscribe several people in one request, all or none: any bad row answers 422 naming"
        " each problem by row and field, and nothing is written. For a grid head, grid worker"
        " or official (403 for any other role); the checks are those of a single "
        "subscription."
    ),
)
def subscriptions_create(request: HttpRequest, payload: MealSubscriptionsIn) -> tuple[int, Any]:
    made = services.meal_subscriptions_create(
        actor=request.user, specs=[_spec(s) for s in payload.subscriptions]
    )
    return 201, _subscriptions(request, made)


@router.patch(
    "/meal-subscriptions/{subscription_id}",
    response=MealSubscriptionOut,
    summary="Change days, diet, price, who pays or the deliverer (from the next round)",
    description=(
        "Change the fields sent (days, diet, price, payer, deliverer); rounds already made "
        "keep theirs, the next round uses the change. For an official over the subscription "
        "(404 otherwise); an ended subscription answers 409 naming `subscription`, a bad "
        "field 422 naming each."
    ),
)
def subscription_change(
    request: HttpRequest, subscription_id: int, payload: MealSubscriptionChange
) -> dict[str, Any]:
    changes = payload.dict(exclude_none=True)
    done = services.meal_subscription_update(
        actor=request.user, subscription_id=subscription_id, changes=changes
    )
    return _subscriptions(request, [done])[0]


@router.post(
    "/meal-subscriptions/{subscription_id}/end",
    response=MealSubscriptionOut,
    summary="End a subscription, with a reason",
    description=(
        "End a subscription with a `reason` (required, 422 naming `reason`); no later round "
        "includes it, and ending it again changes nothing. For an official over the "
        "subscription; one outside your jurisdiction answers 404."
    ),
)
def subscription_end(
    request: HttpRequest, subscription_id: int, payload: MealSubscriptionEndIn
) -> dict[str, Any]:
    done = services.meal_subscription_end(
        actor=request.user, subscription_id=subscription_id, reason=payload.reason
    )
    return _subscriptions(request, [done])[0]


@router.get(
    "/meal-rounds/today",
    response=MealRoundOut,
    summary="A deliverer's round of today, in walking order (building, unit, floor)",
    description=(
        "Your own round without `deliverer`. The round is made the first time it is asked for; "
        "an official sees only the meals of their jurisdiction."
    ),
)
def round_today(
    request: HttpRequest, deliverer: str = Query("", description="the deliverer's login")
) -> dict[str, Any]:
    who = selectors_meals.deliverer_for(request.user, deliverer)
    return selectors_meals.round_today(user=request.user, deliverer=who)


@router.post(
    "/meal-deliveries/{delivery_id}/confirm",
    response=MealDeliveryOut,
    summary="Confirm at the door: delivered, or no answer (a welfare check starts)",
    description=(
        "The round's deliverer, at the door, says `delivered` or `no_answer` (which opens a "
        "welfare check for the micro-grid's worker; unless it is cleared in time, the "
        "emergency call is raised). Saying the same twice is one answer; `delivered` after "
        "`no_answer` clears the open check. Not the deliverer: 403 for a micro-grid worker or "
        "official over the household, 404 for anyone else. A bad `result` or note "
        "answers 422; a meal not of "
        "today, one already delivered, or a check already escalated 409."
    ),
)
def delivery_confirm(
    request: HttpRequest, delivery_id: int, payload: MealDeliveryConfirmIn
) -> dict[str, Any]:
    done = services.meal_delivery_confirm(
        actor=request.user, delivery_id=delivery_id, result=payload.result, note=payload.note
    )
    fresh = MealDelivery.objects.select_related(
        "person", "household", "household__building", "household__unit", "subscription"
    ).get(pk=done.pk)
    return selectors_meals.delivery_dict(request.user, fresh, 0)


@router.get(
    "/welfare-checks",
    response=list[WelfareCheckOut],
    summary="Welfare checks assigned to me or in my jurisdiction",
    description=(
        "The welfare checks assigned to you or opened by you, and those in your jurisdiction "
        "for a micro-grid worker or official. `status` is `open` (default: open or "
        "escalating), `all` or one status."
    ),
)
def welfare_list(
    request: HttpRequest, status: str = Query("open", description="open, all, or one status")
) -> list[dict[str, Any]]:
    return selectors_meals.welfare_list(user=request.user, status=status)


@router.get(
    "/welfare-checks/{check_id}",
    response=WelfareCheckOut,
    summary="One welfare check",
    description=(
        "One welfare check (a door nobody opened on a meal round), for its worker, the "
        "deliverer who opened it, or a micro-grid worker or official over the household; any "
        "other answers 404 naming `check`."
    ),
)
def welfare_read(request: HttpRequest, check_id: int) -> dict[str, Any]:
    check = services.welfare_check_for(request.user, check_id)
    return selectors_meals.welfare_dict(request.user, check)


@router.post(
    "/welfare-checks/{check_id}/clear",
    response=WelfareCheckOut,
    summary="Clear a welfare check with what you found",
    description=(
        "The person was found well (or seen to): clear the open check with a `note` of what "
        "was found (required, at most 500 characters, 422). For the assigned worker or a "
        "micro-grid worker or official over the household; its deliverer alone answers 403, "
        "anyone else 404. A check already cleared, or escalated to an emergency call, answers"
        " 409 naming `status`."
    ),
)
def welfare_clear(request: HttpRequest, check_id: int, payload: WelfareClearIn) -> dict[str, Any]:
    check = services.welfare_check_clear(actor=request.user, check_id=check_id, note=payload.note)
    return selectors_meals.welfare_dict(request.user, check)
