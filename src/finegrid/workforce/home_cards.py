"""The cards of a worker's home (today's work): each part of the workforce adds its own.

A card is a template and a function that gives its context for one user at one moment, or None
when the card has nothing to say to that user. The home page renders the cards in ``order``; it
imports no part that fills them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CardContext = Callable[[Any, dt.datetime], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Card:
    name: str
    order: int
    template: str
    context: CardContext


CARDS: dict[str, Card] = {}


def register(card: Card) -> None:
    CARDS[card.name] = card


def cards_for(user: Any, now: dt.datetime) -> list[tuple[Card, dict[str, Any]]]:
    out = []
    for card in sorted(CARDS.values(), key=lambda c: (c.order, c.name)):
        context = card.context(user, now)
        if context is not None:
            out.append((card, context))
    return out
