from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from finegrid.accounts.models import ApiToken, User
from finegrid.accounts.tokens import token_user
from finegrid.core.errors import FinegridError
from finegrid.core.openapi import refuses
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


@router.post(
    "/token",
    response={201: TokenOut},
    auth=None,
    summary="Issue an API token",
    description=(
        "No login needed: send a username and password, get a new token to send as `Authorization: "
        "Bearer <token>` on every other call. Each call issues another token (named by `name` in "
        "the admin, where tokens are revoked: a revoked token is refused within a second). The "
        "token acts with the account's roles and jurisdiction. A wrong username or password "
        "answers 401 `bad_credentials` naming `password`; a `name` over 64 characters answers 422."
    ),
    openapi_extra=refuses(401, "Wrong username or password (bad_credentials). 用户名或密码错误。"),
)
def token_issue(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, str]]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not isinstance(user, User):
        raise BadCredentials(_("Wrong username or password."), field="password")
    _token, key = ApiToken.issue(user=user, name=payload.name or "api")
    return 201, {"token": key, "username": user.username}
