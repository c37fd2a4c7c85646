"""Photos sent with the worker's report page: kept with an accepted report (the quick mode's
camera button included), removed again from MEDIA_ROOT when the report or action is refused."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from finegrid.accounts.models import User
from finegrid.cases import photos, services
from finegrid.cases.models import Case, CaseEvent, Status
from tests.cases.helpers import report
from tests.conftest import Net, client_for


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def english(user: User) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def jpeg(name: str = "seen.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def files_in_media() -> int:
    return sum(1 for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def _form(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "sanitation",
        "description": "楼道堆放杂物",
        "lat": "30.01",
        "lng": "104.005",
        "urgency": "normal",
        "source": "micro_worker",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(kw)
    return data


def test_an_accepted_report_keeps_its_photo(net: Net, worker: User) -> None:
    response = client_for(worker).post("/cases/new/", _form(photos=[jpeg()]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert len(case.photos) == 1
    path = photos.path_of(case.photos[0]["id"])
    assert path is not None and path.is_file()
    assert CaseEvent.objects.get(case=case, action="report").photos == case.photos
    assert files_in_media() == 2  # the picture and its sidecar


def test_a_report_the_service_refuses_leaves_no_photo_behind(net: Net, worker: User) -> None:
    before = files_in_media()
    response = english(worker).post(
        "/cases/new/", _form(lat="31.5", lng="105.0", photos=[jpeg(), jpeg("b.jpg")])
    )
    assert response.status_code == 422
    assert "The location lies outside every grid." in response.content.decode()
    assert files_in_media() == before == 0
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_a_report_the_form_refuses_stores_no_photo(net: Net, worker: User) -> None:
    response = english(worker).post("/cases/new/", _form(category="", photos=[jpeg()]))
    assert response.status_code == 422
    assert 'fg-field--error" data-field="category"' in response.content.decode()
    assert files_in_media() == 0
    assert not Case.objects.exists()


def test_a_bad_second_photo_takes_the_first_one_away_too(net: Net, worker: User) -> None:
    bad = SimpleUploadedFile("b.jpg", b"not a picture", content_type="image/jpeg")
    response = english(worker).post("/cases/new/", _form(photos=[jpeg(), bad]))
    assert response.status_code == 422
    assert 'fg-field--error" data-field="photos"' in response.content.decode()
    assert files_in_media() == 0
    assert not Case.objects.exists()


def test_a_resent_page_with_new_photo_copies_keeps_only_the_first_cases_photo(
    net: Net, worker: User
) -> None:
    client = client_for(worker)
    key = str(uuid.uuid4())
    assert (
        client.post("/cases/new/", _form(idempotency_key=key, photos=[jpeg()])).status_code == 302
    )
    case = Case.objects.get()
    response = client.post("/cases/new/", _form(idempotency_key=key, photos=[jpeg()]))
    assert response.status_code == 409
    assert Case.objects.count() == 1
    kept = photos.path_of(case.photos[0]["id"])
    assert kept is not None and kept.is_file()
    assert files_in_media() == 2  # the first case's picture and sidecar, nothing else


def test_a_refused_resolve_leaves_no_photo_behind(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/resolve/", {"note": "", "photos": [jpeg()]}
    )
    assert response.status_code == 422
    assert files_in_media() == 0
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert not CaseEvent.objects.filter(case=case, action="resolve").exists()


def test_quick_mode_offers_one_camera_photo(net: Net, worker: User) -> None:
    page = client_for(worker).get("/cases/new/?quick=1").content.decode()
    start = page.index('type="file"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    assert 'name="photos"' in tag
    assert 'accept="image/*"' in tag and 'capture="environment"' in tag
    assert "multiple" not in tag


def test_a_quick_report_with_a_photo_shows_it_on_the_case(net: Net, worker: User) -> None:
    client = client_for(worker)
    data = {
        "category": "fire",
        "lat": "30.01",
        "lng": "104.005",
        "urgency": "normal",
        "source": "rider",
        "quick": "True",
        "idempotency_key": str(uuid.uuid4()),
        "photos": jpeg(),
    }
    response = client.post("/cases/new/?quick=1", data)  # multipart: the test client's default
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.category.code, case.source) == ("fire", "rider")
    assert len(case.photos) == 1 and (case.photos[0]["width"], case.photos[0]["height"]) == (48, 32)
    assert CaseEvent.objects.get(case=case, action="report").photos == case.photos
    path = photos.path_of(case.photos[0]["id"])
    assert path is not None and path.is_file()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.photos[0]["url"] in page
    assert client.get(case.photos[0]["url"]).status_code == 200
