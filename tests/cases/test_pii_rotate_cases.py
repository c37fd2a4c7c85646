"""Key rotation reaches the reporter phones sealed on cases, not only the registry's columns."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from finegrid.cases import services
from finegrid.cases.models import Case
from finegrid.core import pii
from tests.conftest import Net
from tests.registry.test_pii_rotate import K1, K2, use_keys


def test_rotation_re_encrypts_case_reporter_phones(settings: Any, net: Net) -> None:
    use_keys(settings, K1)
    report = services.CaseReport(
        category="sanitation",
        description="垃圾未清运",
        source="hotline",
        lat=30.01,
        lng=104.005,
        reporter_phone="13812345678",
    )
    case, _ = services.case_report(actor=None, report=report)
    assert pii.key_id(case.reporter_phone_enc) == "k1"
    use_keys(settings, f"{K2},{K1}")
    call_command("pii_rotate", stdout=StringIO())
    use_keys(settings, K2)  # the old key is gone
    token = Case.objects.get().reporter_phone_enc
    assert pii.key_id(token) == "k2"
    assert pii.decrypt(token) == "13812345678"
