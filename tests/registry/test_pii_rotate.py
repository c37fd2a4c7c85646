"""Key rotation: `finegrid pii_rotate` re-encrypts everything under the new key."""

from __future__ import annotations

import base64
from io import StringIO
from typing import Any

from django.core.management import call_command

from finegrid.accounts.models import User
from finegrid.core import pii
from finegrid.registry import selectors, services
from finegrid.registry.models import Business, CareTag, Person
from tests.conftest import Net
from tests.registry.helpers import home_in, make_id, register

K1 = "k1:" + base64.urlsafe_b64encode(b"1" * 32).decode().rstrip("=")
K2 = "k2:" + base64.urlsafe_b64encode(b"2" * 32).decode().rstrip("=")
INDEX_1 = base64.urlsafe_b64encode(b"i" * 32).decode().rstrip("=")
INDEX_2 = base64.urlsafe_b64encode(b"j" * 32).decode().rstrip("=")


def use_keys(settings: Any, spec: str, index: str = INDEX_1) -> None:
    settings.PII_KEYS, settings.PII_INDEX_KEY = spec, index
    pii.keys.cache_clear()


def populate(leader: User, net: Net) -> tuple[Person, Person]:
    home = home_in(net.m1)
    a = register(leader, home, "张三", id_number=make_id(seq="001"), phone="13812345678")
    b = register(leader, home, "李四", id_number=make_id(seq="003"))
    services.care_tag_add(
        actor=leader, person=a, kind="disabled", attributes={"category": "visual", "level": 2}
    )
    services.business_create(
        actor=leader,
        name="丰乐面馆",
        business_type="restaurant",
        address="锦丰路12号",
        micro_grid=net.m1,
        contact_phone="13912345678",
    )
    return a, b


def sealed_tokens() -> list[str]:
    tokens = [t for p in Person.objects.all() for t in (p.id_number_enc, p.phone_enc) if t]
    tokens += list(CareTag.objects.values_list("payload_enc", flat=True))
    tokens += [t for t in Business.objects.values_list("contact_phone_enc", flat=True) if t]
    return tokens


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("pii_rotate", *args, stdout=out)
    return out.getvalue()


def test_rotation_moves_every_value_to_the_new_key(settings: Any, leader: User, net: Net) -> None:
    use_keys(settings, K1)
    a, b = populate(leader, net)
    before = {t: pii.decrypt(t) for t in sealed_tokens()}
    assert {pii.key_id(t) for t in before} == {"k1"} and len(before) == 5

    use_keys(settings, f"{K2},{K1}")
    output = rotate("--batch", "1")
    assert "rewritten 2" in output and "rewritten 1" in output

    after = sealed_tokens()
    assert {pii.key_id(t) for t in after} == {"k2"}
    assert sorted(pii.decrypt(t) for t in after) == sorted(before.values())
    assert selectors.person_list(user=leader, q=make_id(seq="001")).get() == a
    assert selectors.person_list(user=leader, q="13812345678").get() == a

    use_keys(settings, K2)  # the old key is gone: everything still opens
    assert sorted(pii.decrypt(t) for t in sealed_tokens()) == sorted(before.values())
    tags = selectors.care_tags_for(user=leader, people=[a, b])
    assert tags[a.pk][0].attributes == {"category": "visual", "level": 2}


def test_a_second_run_rewrites_nothing(settings: Any, leader: User, net: Net) -> None:
    use_keys(settings, K1)
    populate(leader, net)
    use_keys(settings, f"{K2},{K1}")
    rotate()
    tokens = sealed_tokens()
    assert "rewritten 0, unchanged 2" in rotate()
    assert sealed_tokens() == tokens


def test_reindex_recomputes_the_blind_indexes(settings: Any, leader: User, net: Net) -> None:
    use_keys(settings, K1, INDEX_1)
    a, _b = populate(leader, net)
    use_keys(settings, K1, INDEX_2)
    assert not selectors.person_list(user=leader, q="13812345678").exists()
    rotate("--reindex")
    assert selectors.person_list(user=leader, q="13812345678").get() == a
    assert selectors.person_list(user=leader, q=make_id(seq="001")).get() == a
    assert selectors.special_population(user=leader, kind="disabled").get() == a
