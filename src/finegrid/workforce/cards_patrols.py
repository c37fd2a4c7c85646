"""The worker's home cards of patrols: households due a visit, and today's round."""

from __future__ import annotations

from finegrid.workforce import home_cards, selectors_patrols


def register() -> None:
    home_cards.register(
        home_cards.Card(
            name="households_due",
            order=30,
            template="workforce/patrols/_card_households_due.html",
            context=lambda user, now: selectors_patrols.households_due(user=user, now=now),
        )
    )
    home_cards.register(
        home_cards.Card(
            name="todays_round",
            order=40,
            template="workforce/patrols/_card_todays_round.html",
            context=lambda user, now: selectors_patrols.todays_round(user=user, now=now),
        )
    )
