from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from finegrid.accounts.models import ApiToken, User
from finegrid.accounts.tokens import token_user
from finegrid.core.errors import FinegridError
from finegrid.core.schemas import Input

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        return user


# Every authenticated endpoint accepts either an API token or the browser session.
API_AUTH = [BearerToken(), django_auth]


class TokenIn(Input):
    username: str
    password: str
    name: str = Field("", max_length=64)  # ApiToken.name: longer is refused, naming the field


class TokenOut(Schema):
    token: str
    username: str


class BadCredentials(FinegridError):
    status = 401
    code = "bad_credentials"


@router.post("/token", response={201: TokenOut}, auth=None, summary="Issue an API token")
def token_issue(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, str]]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not isinstance(user, User):
        raise BadCredentials(_("Wrong username or password."), field="password")
    _token, key = ApiToken.issue(user=user, name=payload.name or "api")
    return 201, {"token": key, "username": user.username}
