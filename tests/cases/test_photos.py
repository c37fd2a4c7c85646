"""POST /api/v1/cases/photos: real images only, cleaned, kept private to those who see the case."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from finegrid.accounts.models import User
from finegrid.cases import photos
from finegrid.cases.models import Case, CaseEvent
from finegrid.cases.services import case_accept
from tests.conftest import Net, client_for

URL = "/api/v1/cases/photos"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


def upload(
    client: Client, content: bytes, name: str = "photo.jpg", ctype: str = "image/jpeg"
) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type=ctype)})


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_jpeg_png_or_webp_is_kept_as_a_clean_jpeg(
    net: Net, worker: User, _media: Path, fmt: str
) -> None:
    r = upload(client_for(worker), image_bytes(fmt), name=f"x.{fmt.lower()}")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["width"], body["height"]) == (64, 48)
    assert body["url"] == f"/api/v1/cases/photos/{body['id']}"
    path = photos.path_of(body["id"])
    assert path is not None and path.is_file() and path.is_relative_to(_media / "cases")
    with Image.open(path) as kept:
        assert kept.format == "JPEG" and kept.size == (64, 48)


def test_the_phones_gps_position_is_stripped(net: Net, worker: User) -> None:
    exif = Image.Exif()
    exif[0x8825] = {2: (30.0, 1.0, 2.0), 4: (104.0, 0.0, 5.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    r = upload(client_for(worker), image_bytes("JPEG", exif=exif.tobytes()))
    path = photos.path_of(r.json()["id"])
    assert path is not None
    with Image.open(path) as kept:
        assert not kept.getexif() and "exif" not in kept.info


def test_a_large_picture_is_scaled_down(net: Net, worker: User) -> None:
    r = upload(client_for(worker), image_bytes("PNG", size=(3000, 1000)))
    assert (r.json()["width"], r.json()["height"]) == (2560, 853)


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb."""
    real = image_bytes("PNG", size=(1, 1))
    ihdr = struct.pack(">II", width, height) + real[24:29]
    chunk = b"IHDR" + ihdr
    return (
        real[:8]
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + (real[33:])
    )


BAD = {
    "too-large": (b"x" * (photos.MAX_BYTES + 1), "photo.jpg", "larger than 8 MB"),
    "empty": (b"", "photo.jpg", "empty"),
    "pdf-named-jpg": (b"%PDF-1.4 not a picture at all", "photo.jpg", "JPEG, PNG or WebP"),
    "svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.png", "JPEG, PNG or WebP"),
    "gif": (image_bytes("GIF"), "photo.jpg", "JPEG, PNG or WebP"),
    "truncated": (image_bytes("JPEG")[:200], "photo.jpg", "damaged"),
    "bomb": (_png_claiming(20000, 20000), "photo.png", "too many pixels"),
    "big-header": (_png_claiming(8000, 6000), "photo.png", "too many pixels"),
}


@pytest.mark.parametrize(("content", "name", "says"), BAD.values(), ids=BAD.keys())
def test_a_file_that_is_too_large_or_not_an_image_is_refused_naming_file(
    net: Net, worker: User, _media: Path, content: bytes, name: str, says: str
) -> None:
    r = upload(client_for(worker), content, name=name)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == "file" and says in body["message_en"] and body["message"]
    assert stored(_media) == []


def test_a_missing_file_is_named(net: Net, worker: User) -> None:
    r = client_for(worker).post(URL, {})
    assert r.status_code == 422 and r.json()["field"] == "file"


def test_an_anonymous_upload_is_refused(net: Net, _media: Path) -> None:
    assert upload(client_for(None), image_bytes()).status_code == 401
    assert stored(_media) == []


def test_photos_go_with_the_report_and_the_progress(net: Net, worker: User, gridhead: User) -> None:
    w = client_for(worker)
    first = upload(w, image_bytes()).json()
    r = w.post(
        "/api/v1/cases",
        {
            "category": "sanitation",
            "description": "垃圾",
            "lat": 30.01,
            "lng": 104.005,
            "photos": [first["id"]],
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["photos"] == [first]
    case = Case.objects.get()
    assert case.photos == [first]
    case_accept(actor=gridhead, case=case)
    second = upload(client_for(gridhead), image_bytes("PNG")).json()
    r = client_for(gridhead).post(
        f"/api/v1/cases/{case.pk}/progress",
        {"note": "清理中", "photos": [second["id"]]},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["events"][-1]["photos"] == [second]
    assert CaseEvent.objects.get(action="progress").photos == [second]


def test_a_photo_is_served_to_those_who_may_see_its_case_only(
    net: Net, worker: User, gridhead: User, neighbour: User, resident: User
) -> None:
    w = client_for(worker)
    photo = upload(w, image_bytes()).json()
    stray = upload(w, image_bytes()).json()
    w.post(
        "/api/v1/cases",
        {
            "category": "sanitation",
            "description": "垃圾",
            "lat": 30.01,
            "lng": 104.005,
            "photos": [photo["id"]],
        },
        content_type="application/json",
    )
    r = client_for(gridhead).get(photo["url"])
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"  # type: ignore[attr-defined]
    assert client_for(neighbour).get(photo["url"]).status_code == 404
    assert client_for(resident).get(photo["url"]).status_code == 404
    assert client_for(None).get(photo["url"]).status_code == 401
    # not yet on any case: the uploader sees it, nobody else does
    assert w.get(stray["url"]).status_code == 200
    assert client_for(gridhead).get(stray["url"]).status_code == 404
    assert client_for(gridhead).get(URL + "/..%2F..%2Fetc%2Fpasswd").status_code == 404
