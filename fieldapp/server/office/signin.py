"""Signing in and out of the office pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from fieldapp.server.auth import office as office_auth
from fieldapp.server.auth import sessions as auth
from fieldapp.server.errors import Throttled, Unauthorized
from fieldapp.server.office import common
from fieldapp.server.office.common import Flag, Posted, Who
from fieldapp.server.office.i18n import LANGUAGES, N_, gettext
from fieldapp.server.office.web import (
    PREFIX,
    OfficeRoute,
    keep_tokens,
    office_user,
    render,
    renew_csrf,
    safe_next,
)
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
# Refusals of the services these routes call, translated where the error page shows them.
REFUSALS = (N_("choose one of the languages offered"), N_("these pages are for office staff"))


@router.get("")
@router.get("/")
def home() -> Response:
    return RedirectResponse(f"{PREFIX}/visits", status_code=303)


@router.get("/login")
def login_page(
    request: Request, next: Flag = "", expired: Annotated[str, Query(max_length=8)] = "", ok: Flag = ""
) -> Response:
    message = gettext("You were signed out after a while without use. Sign in again.") if expired else ""
    notice = gettext("You are signed out.") if ok == "signed_out" else ""
    return render(
        request,
        "login.html",
        title=gettext("Sign in"),
        next=safe_next(next),
        username="",
        error=message,
        notice=notice,
    )


@router.post("/login")
def login(request: Request, form: Posted) -> Response:
    username, password = form.get("username").strip(), form.get("password")
    target = safe_next(form.get("next"))
    status, message = 401, ""
    if not username or not password:
        message = gettext("Enter your user name and password.")
    else:
        try:
            with database_of(request).write() as session:
                tokens = office_auth.sign_in(
                    session,
                    settings_of(request),
                    username,
                    password,
                    now_of(request),
                    request.client.host if request.client else None,
                )
        except office_auth.NotOffice:
            status = 403
            message = gettext(
                "This account belongs to a field worker. These pages are for office staff; "
                "field workers use the tablet app."
            )
        except Throttled as exc:
            status = 429
            message = gettext(
                "Too many failed sign-ins; try again in %(seconds)s s.",
                seconds=exc.headers.get("Retry-After", "?"),
            )
        except Unauthorized:
            message = gettext("Wrong user name or password.")
        else:
            keep_tokens(request, tokens)
            renew_csrf(request)
            return common.see(target)
    return render(
        request,
        "login.html",
        status=status,
        title=gettext("Sign in"),
        next=target,
        username=username,
        error=message,
    )


@router.post("/logout")
def logout(request: Request, form: Posted) -> Response:
    try:
        who = office_user(request)
    except Exception:  # already signed out or expired: just forget the cookies
        who = None
    if who is not None:
        with database_of(request).write() as session:
            auth.revoke(session, who.session_id, now_of(request))
    keep_tokens(request, None)
    renew_csrf(request)
    return common.see(f"{PREFIX}/login", ok="signed_out")


@router.post("/language")
def choose_language(request: Request, who: Who, form: Posted) -> Response:
    """The header's language switcher: saved on the user, so every browser of theirs follows it."""
    with database_of(request).write() as session:
        office_auth.choose_language(session, who.user_id, form.get("language"), LANGUAGES)
    return common.see(safe_next(form.get("next")))
