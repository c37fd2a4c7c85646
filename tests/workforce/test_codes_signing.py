"""A code's payload is signed: forged, altered, rotated and revoked codes are each refused with
their own message naming ``code``."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.core.errors import Forbidden, InvalidInput
from finegrid.workforce import codes as signing
from finegrid.workforce.models import Code, CodeKind
from finegrid.workforce.services_codes import (
    CodeRefused,
    code_revoke,
    code_rotate,
    code_verify,
)
from tests.workforce.helpers_checkins import building_in, code_of, payload


def _refused(text: str) -> CodeRefused:
    with pytest.raises(CodeRefused) as err:
        code_verify(payload=text)
    assert err.value.field == "code"
    assert err.value.as_dict()["message"] != err.value.as_dict()["message_en"]
    return err.value


def test_a_payload_names_its_place_and_is_short_enough_for_a_small_qr(net: Any) -> None:
    code = code_of(net.m1)
    text = payload(code)
    assert text.startswith("FG1.m.")
    assert len(text) < 40
    assert code_verify(payload=text) == code
    # the whole phone URL, as a scanner reads it, works as well
    assert code_verify(payload=f"https://x.example/workforce/c/{text}") == code


@pytest.mark.parametrize("position", [4, 6, 8, -1, -5])
def test_it_refuses_an_altered_payload(net: Any, position: int) -> None:
    text = payload(code_of(net.m1))
    chars = list(text)
    chars[position] = "x" if chars[position] != "x" else "y"
    assert _refused("".join(chars)).reason == "forged"


def test_it_refuses_a_payload_for_another_place_with_a_copied_signature(net: Any) -> None:
    m1, m2 = payload(code_of(net.m1)), payload(code_of(net.m2))
    forged = ".".join(m2.split(".")[:4] + [m1.split(".")[4]])
    assert _refused(forged).reason == "forged"


def test_it_refuses_a_payload_signed_with_another_key(net: Any, settings: Any) -> None:
    code = code_of(net.m1)
    settings.CODE_KEY = "someone-elses-key"
    forged = payload(code)
    settings.CODE_KEY = ""
    assert _refused(forged).reason == "forged"
    assert _refused("").reason == "forged"
    assert _refused("FG1.m.1.1").reason == "forged"


def test_a_leading_zero_is_not_another_spelling_of_a_valid_payload(net: Any) -> None:
    assert signing.parse("FG1.m.01.1." + "A" * 16) is None


def test_rotating_invalidates_the_printed_payload(net: Any, gridhead: Any) -> None:
    code = code_of(net.m1)
    printed = payload(code)
    code_rotate(actor=gridhead, code=code)
    old = _refused(printed)
    assert old.reason == "old"
    fresh = payload(code)
    assert fresh != printed
    assert code_verify(payload=fresh).version == 2


def test_revoking_refuses_the_code_until_it_is_rotated(net: Any, gridhead: Any) -> None:
    code = code_of(net.m1)
    printed = payload(code)
    code_revoke(actor=gridhead, code=code)
    assert _refused(printed).reason == "revoked"
    assert Code.objects.get(pk=code.pk).revoked_at is not None
    code_rotate(actor=gridhead, code=code)
    assert code_verify(payload=payload(code)).revoked_at is None


def test_a_code_of_a_place_that_no_longer_exists_is_refused(net: Any) -> None:
    building = building_in(net.m1)
    code = code_of(net.m1, CodeKind.BUILDING, building.pk)
    text = payload(code)
    code.delete()
    assert _refused(text).reason == "unknown"


def test_each_refusal_has_its_own_message(net: Any, gridhead: Any) -> None:
    code = code_of(net.m1)
    printed = payload(code)
    messages = {_refused(printed[:-2] + "zz").as_dict()["message"]}
    code_rotate(actor=gridhead, code=code)
    messages.add(_refused(printed).as_dict()["message"])
    code_revoke(actor=gridhead, code=code)
    messages.add(_refused(payload(code)).as_dict()["message"])
    assert len(messages) == 3


def test_only_a_grid_head_or_official_over_the_place_rotates_it(
    net: Any, worker: Any, neighbour: Any, gridhead: Any
) -> None:
    code = code_of(net.m1)
    with pytest.raises(Forbidden):
        code_rotate(actor=worker, code=code)
    with pytest.raises(InvalidInput.__mro__[1]):  # NotFound: the neighbour cannot see M1
        code_revoke(actor=neighbour, code=code)
    code.refresh_from_db()
    assert (code.version, code.revoked_at) == (1, None)
