"""Case photos: checked by their content, re-encoded, stored under MEDIA_ROOT/cases/YYYY/MM/.

An upload is opened with Pillow, never trusted by its name or content type. Its pixel count is
checked from the header before anything is decoded (a small file can claim a huge image: a
decompression bomb), then it is verified, decoded and re-encoded as a JPEG. Re-encoding drops
every metadata block, the EXIF GPS position of the phone included, and anything hidden after
the image data.

A photo is named by an id such as ``202611-3f2a…`` (month and 128 random bits): the id is the
only reference a case or an event keeps, and knowing it is what lets a client attach the photo
to a report. A small JSON sidecar keeps who uploaded it, so the uploader can see it before it
belongs to a case.
"""

from __future__ import annotations

import json
import re
import secrets
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import InvalidInput, Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 9  # per page form
# 40 megapixels: more than any phone camera, far less than a bomb that decodes to gigabytes.
MAX_PIXELS = 40_000_000
# Stored photos are scaled to fit a phone screen's zoom; the original resolution is not needed.
MAX_SIDE = 2560
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ID_RE = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})-(?P<token>[0-9a-f]{32})$")
URL_PREFIX = "/api/v1/cases/photos/"


@dataclass(frozen=True)
class Photo:
    id: str
    width: int
    height: int
    uploader_id: int | None

    @property
    def url(self) -> str:
        return URL_PREFIX + self.id

    def ref(self) -> dict[str, Any]:
        """What a case or an event keeps in its ``photos`` list."""
        return {"id": self.id, "url": self.url, "width": self.width, "height": self.height}


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "cases"


def path_of(photo_id: str) -> Path | None:
    """The file of a well-formed id, or None; never a path outside MEDIA_ROOT/cases."""
    m = ID_RE.match(photo_id or "")
    if m is None:
        return None
    return root() / m["year"] / m["month"] / f"{m['token']}.jpg"


def _bad(message: Any) -> InvalidInput:
    return InvalidInput(Problem(message, field="file"))


def photo_store(*, upload: IO[bytes], size: int, uploader_id: int | None) -> Photo:
    """Check an uploaded image and keep a clean JPEG copy of it. Raises InvalidInput naming
    ``file`` for anything too large or not a JPEG, PNG or WebP image; writes nothing then."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if size > MAX_BYTES:
        raise _bad(_("The photo is larger than 8 MB."))
    if size == 0:
        raise _bad(_("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            probe = Image.open(upload)
            if probe.format not in FORMATS:
                raise _bad(_("Send a JPEG, PNG or WebP image."))
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _bad(_("The image has too many pixels."))
            probe.verify()  # checksums and structure, without decoding the pixels
            upload.seek(0)
            image: Image.Image = Image.open(upload)
            image.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bad(_("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise _bad(_("Send a JPEG, PNG or WebP image.")) from None
    except (OSError, SyntaxError, ValueError):
        # Pillow reports truncated and corrupt files with these
        raise _bad(_("The image is damaged and cannot be read.")) from None

    image = ImageOps.exif_transpose(image) or image  # upright, as the phone showed it
    if image.mode != "RGB":
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    image.thumbnail((MAX_SIDE, MAX_SIDE))

    now = timezone.now()
    photo_id = f"{now:%Y%m}-{secrets.token_hex(16)}"
    target = path_of(photo_id)
    assert target is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside and rename, so a reader never sees half a file.
    partial = target.with_suffix(".part")
    image.save(partial, format="JPEG", quality=85, optimize=True)
    meta = {"uploader": uploader_id, "width": image.width, "height": image.height}
    target.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    partial.replace(target)
    return Photo(photo_id, image.width, image.height, uploader_id)


def photos_discard(*, photo_ids: Iterable[str]) -> None:
    """Remove stored photos that no case or event will keep (the request that stored them was
    refused): the picture, its sidecar and any half-written copy. Ids that are not well formed
    name no file and are passed over."""
    for photo_id in photo_ids:
        target = path_of(photo_id)
        if target is None:
            continue
        for leftover in (target, target.with_suffix(".json"), target.with_suffix(".part")):
            leftover.unlink(missing_ok=True)


def photo_get(photo_id: str) -> Photo | None:
    target = path_of(photo_id)
    if target is None or not target.is_file():
        return None
    try:
        meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Photo(photo_id, int(meta["width"]), int(meta["height"]), meta.get("uploader"))


def photo_refs(ids: list[str], *, field: str = "photos") -> list[dict[str, Any]]:
    """The stored references of photo ids sent by a client; unknown ids are refused."""
    refs = []
    problems = []
    for index, photo_id in enumerate(ids):
        photo = photo_get(photo_id)
        if photo is None:
            problems.append(
                Problem(
                    _("No such photo: %(id)s. Upload it first."),
                    field=f"{field}.{index}",
                    params={"id": photo_id},
                )
            )
        else:
            refs.append(photo.ref())
    if problems:
        raise InvalidInput(problems)
    return refs


@contextmanager
def stored_photos(request: Any) -> Iterator[list[dict[str, Any]]]:
    """Keep the photos uploaded with a page form for the write done in the block, and give their
    references. If the block is left by an exception (the write was refused, or a later photo
    of the request was), the files stored here are removed again: a refused request leaves no
    photo behind that no case or event refers to."""
    refs: list[dict[str, Any]] = []
    try:
        for upload in request.FILES.getlist("photos")[:MAX_PHOTOS]:
            photo = photo_store(upload=upload, size=upload.size or 0, uploader_id=request.user.pk)
            refs.append(photo.ref())
        yield refs
    except BaseException:
        photos_discard(photo_ids=[ref["id"] for ref in refs])
        raise
