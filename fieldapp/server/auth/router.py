"""``/auth``: sign in on a device, refresh its tokens, sign out, and who the token belongs to."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fieldapp.server.auth import sessions as auth
from fieldapp.server.errors import Invalid
from fieldapp.server.web.deps import Config, Now, Uploader, Who, Writes
from fieldapp.sync.protocol import LoginRequest, RefreshRequest, TokenResponse, UserInfo

router = APIRouter(tags=["auth"])


@router.post("/auth/login", response_model=TokenResponse)
def login(body: LoginRequest, request: Request, session: Writes, settings: Config, now: Now) -> TokenResponse:
    """Sign a user in on a device; repeated failures make the user name and the client address wait
    (429 with Retry-After), growing with each further failure."""
    if "\0" in body.username or "\0" in body.app_version:
        raise Invalid("text must not contain NUL characters", code="unstorable_value")
    return auth.login(session, settings, body, now, request.client.host if request.client else None)


@router.post("/auth/refresh", response_model=TokenResponse)
def refresh(body: RefreshRequest, session: Writes, settings: Config, now: Now) -> TokenResponse:
    """Exchange a refresh token for a new pair; the old one stops working."""
    return auth.refresh(session, settings, body.refresh_token, now)


@router.post("/auth/logout", status_code=204)
def logout(who: Uploader, session: Writes, now: Now) -> Response:
    """End this session; its tokens stop working at once."""
    auth.revoke(session, who.session_id, now)
    return Response(status_code=204)


@router.get("/auth/me", response_model=UserInfo)
def me(who: Who) -> UserInfo:
    """Who the token belongs to."""
    return UserInfo(id=who.user_id, username=who.username, role=who.role)
