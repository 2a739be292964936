"""The machinery under the office pages: sign-in cookies, CSRF, rendering, error pages, security headers.

* The session is an ordinary server session (``auth.sessions``) whose tokens live in cookies: HttpOnly,
  SameSite=Strict, Path=/office, Secure when the request came over https. Every request checks the
  access token in the database, so sign-out, revocation and disabled accounts take effect at once; an
  expired access token is rotated with the refresh token unless the browser sat idle too long.
* CSRF: every POST form carries the token of the browser's CSRF cookie (random, new at each sign-in),
  compared server-side in constant time; a POST whose Origin names another site is refused as well.
* Every route runs inside ``OfficeRoute``, which turns refusals into HTML pages (or a redirect to the
  sign-in page), writes the cookies a request earned, and sets the pages' content security policy.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute

from fieldapp.server.auth import office as office_auth
from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.conflicts import queries as conflict_views
from fieldapp.server.core.agency import agency_zone_of
from fieldapp.server.errors import ApiError, Unauthorized
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.office import i18n, words
from fieldapp.server.office.forms import Form, FormError, parse_form
from fieldapp.server.office.i18n import N_, gettext
from fieldapp.server.web.deps import database_of, now_of, settings_of
from fieldapp.sync.protocol import TokenResponse

PREFIX = "/office"
ACCESS_COOKIE = "fieldapp_office"
REFRESH_COOKIE = "fieldapp_office_refresh"
CSRF_COOKIE = "fieldapp_office_csrf"
CSRF_FIELD = "csrf"
# Styles and images from this server only; no script at all; forms post only here; never framed.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


class NotSignedIn(Exception):
    """No valid office session: the browser goes to the sign-in page."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class CsrfRefused(Exception):
    """A form without this browser's CSRF token, or posted from another site."""


# -- rendering ---------------------------------------------------------------------------------------------


class Formats:
    """Dates, times and numbers in the agency's time zone and the page's language, stored values in words."""

    def __init__(self, zone: tzinfo, language: str = i18n.DEFAULT) -> None:
        self.zone = zone
        self.language = language

    def time(self, moment: datetime | None) -> str:
        return "—" if moment is None else moment.astimezone(self.zone).strftime("%H:%M")

    def moment(self, moment: datetime | None) -> str:
        return "—" if moment is None else moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def day(self, value: date | datetime | None, pattern: str = "EEE d MMM y") -> str:
        """A day in words of the page's language: "Fri 4 Dec 2026", "vie 4 dic 2026"."""
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = value.astimezone(self.zone).date()
        return babel_dates.format_date(value, pattern, locale=self.language)

    def number(self, value: float | int | None) -> str:
        return "—" if value is None else babel_numbers.format_decimal(value, locale=self.language)

    def ago(self, moment: datetime | None, now: datetime) -> str:
        if moment is None:
            return i18n.gettext("never")
        seconds = int((now - moment).total_seconds())
        if seconds < 90:
            return i18n.gettext("just now")
        if seconds < 5400:
            return i18n.gettext("%(minutes)s min ago", minutes=seconds // 60)
        if seconds < 48 * 3600:
            return i18n.gettext("%(hours)s h ago", hours=seconds // 3600)
        return i18n.ngettext("%(num)s day ago", "%(num)s days ago", seconds // 86400)

    def offset(self, ms: int | None) -> str:
        if ms is None:
            return "—"
        sign = "+" if ms >= 0 else "−"
        value = abs(ms)
        amount, unit = (value / 1000, "s") if value < 120_000 else (round(value / 60000), "min")
        pattern = "0.0" if unit == "s" else "0"
        return f"{sign}{babel_numbers.format_decimal(amount, pattern, locale=self.language)} {unit}"

    @staticmethod
    def value(value: Any) -> str:
        """A stored field value for people: text as it is, structures as short key: value lists."""
        if value is None:
            return i18n.gettext("(empty)")
        if isinstance(value, bool):
            return i18n.gettext("yes") if value else i18n.gettext("no")
        if isinstance(value, dict):
            return ", ".join(f"{k}: {Formats.value(v)}" for k, v in value.items() if v not in (None, ""))
        if isinstance(value, list):
            return "; ".join(Formats.value(v) for v in value) or i18n.gettext("(none)")
        return str(value)


@cache
def environment(language: str) -> jinja2.Environment:
    """The templates with the gettext functions of one language (``_``, ``gettext``, ``ngettext``)."""
    made = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    cast(_WithGettext, made).install_gettext_translations(i18n.translations(language), newstyle=True)
    # For macros imported without the page's context (``f`` is the page's): days in the language's words.
    made.filters["short_day"] = lambda value: babel_dates.format_date(value, "d MMM", locale=language)
    made.filters["weekday"] = lambda value: babel_dates.format_date(value, "EEE", locale=language)
    made.filters.update(words.FILTERS)
    return made


class _WithGettext(Protocol):
    """What ``jinja2.ext.i18n`` adds to an environment."""

    def install_gettext_translations(self, translations: Any, newstyle: bool | None = None) -> None: ...


def zone_of(request: Request) -> ZoneInfo:
    """The agency's time zone (its card's, else the server's setting), read once per request."""
    zone: ZoneInfo | None = getattr(request.state, "agency_zone", None)
    if zone is None:
        zone = agency_zone_of(database_of(request), settings_of(request))
        request.state.agency_zone = zone
    return zone


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with the signed-in user, the CSRF token, and the navigation's counts."""
    who: Principal | None = getattr(request.state, "office_user", None)
    if who is not None and "open_conflicts" not in context:
        with database_of(request).read() as session:
            context["open_conflicts"] = conflict_views.open_conflicts(session)
            context["integrity_problems"] = integrity_log.count(session)
    language = i18n.current()
    page = (
        environment(language)
        .get_template(template)
        .render(
            user=who,
            csrf=csrf_token(request),
            f=Formats(zone_of(request), language),
            lang=language,
            languages=i18n.LANGUAGES,
            zone=zone_of(request).key,
            now=now_of(request),
            path=request.url.path,
            **{"open_conflicts": 0, "integrity_problems": 0, "notice": "", "error": "", **context},
        )
    )
    return HTMLResponse(page, status_code=status)


TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Changed meanwhile"),
}


def error_page(request: Request, status: int, message: str, title: str = "") -> HTMLResponse:
    """An error page; ``message`` and ``title`` are already in the request's language."""
    return render(
        request,
        "error.html",
        status=status,
        title=title or gettext(TITLES.get(status, N_("Refused"))),
        message=message,
    )


# -- cookies and CSRF ----------------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (a new one is issued with the response when it has none)."""
    token = getattr(request.state, "new_csrf", None) or request.cookies.get(CSRF_COOKIE)
    if not token or len(token) > 64:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def renew_csrf(request: Request) -> None:
    """A new CSRF token (at sign-in), so one seen before it cannot be replayed."""
    request.state.new_csrf = secrets.token_urlsafe(32)


def _cookie(response: Response, request: Request, name: str, value: str | None) -> None:
    secure = request.url.scheme == "https"
    if value is None:
        response.delete_cookie(name, path=PREFIX, secure=secure, httponly=True, samesite="strict")
    else:
        response.set_cookie(name, value, path=PREFIX, secure=secure, httponly=True, samesite="strict")


def keep_tokens(request: Request, tokens: TokenResponse | None) -> None:
    """Send these tokens (or, with None, the removal of the session cookies) with the response."""
    request.state.office_tokens = tokens or False


async def read_form(request: Request) -> Form:
    """The posted form, after the CSRF checks (dependency of every POST route)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise FormError(gettext("Send the form as application/x-www-form-urlencoded."))
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfRefused()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > 256 * 1024:
            raise FormError(gettext("The form is too large."))
        chunks.append(chunk)
    form = parse_form(b"".join(chunks))
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD)
    if not cookie or not sent or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise CsrfRefused()
    return form


# -- who is signed in ----------------------------------------------------------------------------------------


def office_user(request: Request) -> Principal:
    """The office user of this browser, from its cookies (dependency of every signed-in route)."""
    database, now = database_of(request), now_of(request)
    access = request.cookies.get(ACCESS_COOKIE, "")
    who: Principal | None = None
    if access and len(access) <= 128:
        try:
            with database.read() as session:
                who = auth.authenticate(session, access, now)
        except Unauthorized:
            who = None
        if who is not None and who.rotation_pending:
            with database.write() as session:
                auth.confirm_rotation(session, who.session_id, now)
    if who is None:
        who = _resume(request)
    if not who.is_office:
        keep_tokens(request, None)
        raise office_auth.NotOffice(
            gettext("These pages are for office staff; field workers sign in on their tablet.")
        )
    request.state.office_user = who
    i18n.prefer(who.language)
    request.state.user_id = str(who.user_id)  # for the request log line and the access log
    request.state.device_id = who.device_id
    return who


def _resume(request: Request) -> Principal:
    refresh = request.cookies.get(REFRESH_COOKIE, "")
    if not refresh or len(refresh) > 128:
        raise NotSignedIn()
    database, now = database_of(request), now_of(request)
    try:
        with database.write() as session:
            tokens = office_auth.resume(session, settings_of(request), refresh, now)
    except ApiError:
        tokens = None
    if tokens is None:
        keep_tokens(request, None)
        raise NotSignedIn("You were signed out after a while without use. Sign in again.")
    with database.read() as session:
        who = auth.authenticate(session, tokens.access_token, now)
    keep_tokens(request, tokens)
    return who


def safe_next(target: str | None, default: str = PREFIX + "/visits") -> str:
    """A redirect target inside the office pages only (no other site, no scheme-relative URL)."""
    if not target or not target.startswith(PREFIX + "/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


# -- the route class ---------------------------------------------------------------------------------------


class OfficeRoute(APIRoute):
    """Runs an office route and turns what it raises into pages; sets cookies and the CSP."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            i18n.begin(request.headers.get("accept-language"))
            try:
                response = await original(request)
            except NotSignedIn as exc:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                location = f"{PREFIX}/login?next={quote(target, safe='')}"
                if exc.message:
                    location += "&expired=1"
                response = RedirectResponse(location, status_code=303)
            except CsrfRefused:
                response = error_page(
                    request,
                    403,
                    gettext(
                        "This form was not sent from a page of this office (or the page is too old). "
                        "Nothing was saved: open the page again and repeat the change."
                    ),
                    gettext("Form refused"),
                )
            except FormError as exc:
                response = error_page(request, 400, gettext("%(reason)s Nothing was saved.", reason=exc))
            except RequestValidationError:
                response = error_page(
                    request, 404, gettext("There is no such page (the address is not valid).")
                )
            except ApiError as exc:
                message = i18n.say(exc.message)
                response = error_page(request, exc.status, message[:1].upper() + message[1:])
            _finish(request, response)
            return response

        return handler


def _finish(request: Request, response: Response) -> None:
    tokens = getattr(request.state, "office_tokens", None)
    if tokens is False:
        _cookie(response, request, ACCESS_COOKIE, None)
        _cookie(response, request, REFRESH_COOKIE, None)
    elif tokens is not None:
        _cookie(response, request, ACCESS_COOKIE, tokens.access_token)
        _cookie(response, request, REFRESH_COOKIE, tokens.refresh_token)
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf:
        _cookie(response, request, CSRF_COOKIE, new_csrf)
    if "content-security-policy" not in response.headers:
        html = response.headers.get("content-type", "").startswith("text/html")
        response.headers["content-security-policy"] = CSP if html else FILE_CSP
    # Same-origin requests keep their Origin header (checked on every POST); other sites learn nothing.
    response.headers["referrer-policy"] = "same-origin"
