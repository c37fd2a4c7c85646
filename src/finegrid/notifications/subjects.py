"""What a notification is about, as a link: a small registry filled by the apps that own things.

A notification stores a subject as (kind, id); the app that owns the kind registers, in its
``AppConfig.ready()``, how to turn an id into a URL. The notifications app so links to cases,
emergency calls or votes without importing any of them (DESIGN: it calls no domain app), and a
renamed URL changes every stored notice at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme

Link = Callable[[str], str]

LINKS: dict[str, Link] = {}


def register(kind: str, link: Link) -> None:
    """``link(subject_id)`` must answer without a query: the inbox resolves a whole page."""
    LINKS[kind] = link


def link_for(*, subject_kind: str, subject_id: str, url: str) -> str:
    """The notice's link, or "" when it has none or its kind is no longer known."""
    resolve = LINKS.get(subject_kind) if subject_kind else None
    if resolve is not None:
        try:
            return resolve(subject_id)
        except NoReverseMatch:
            # an id its app's URLs no longer take: the notice stays readable, without a link
            return ""
    # a stored URL is ours, but it is followed by a redirect: never to another site
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""
