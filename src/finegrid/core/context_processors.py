from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"TILE_URL": settings.TILE_URL, "TILE_CRS": settings.TILE_CRS}
