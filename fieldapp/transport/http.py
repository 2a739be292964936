"""``HttpTransport``: the sync protocol over HTTPS with requests.

- One ``requests.Session`` (connection reuse, gzip by default) with connect and read timeouts.
- Retries with exponential backoff and jitter on connection errors, 429 and 5xx, honouring Retry-After,
  by urllib3's ``Retry`` (pushes are safe to retry: the server recognises a replayed mutation id); and
  a transfer cut after the answer began (which urllib3 does not retry) is repeated here, a few times.
- Three failures stay apart: no connection (``Unreachable``), a transfer interrupted mid-way
  (``Interrupted``), and the server's refusal (``Refused``, ``SignInRequired``, ``DeviceRetired``).
- An expired access token is refreshed once, transparently; a refused refresh means "sign in again".
- Errors become ``fieldapp.sync.errors`` exceptions with sentences a field worker understands.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from fieldapp.domain import files
from fieldapp.sync.errors import (
    DeviceRetired,
    Interrupted,
    Refused,
    ServerFailed,
    SignInRequired,
    Unreachable,
)
from fieldapp.sync.protocol import (
    UPLOAD_CONTENT_TYPE,
    UPLOAD_LENGTH,
    UPLOAD_OFFSET,
    UPLOAD_TYPE,
    AccountProfile,
    AuditAck,
    AuditUpload,
    DayReceipt,
    ErrorBody,
    Health,
    LoginRequest,
    PullPage,
    PushRequest,
    PushResponse,
    RefreshRequest,
    TokenResponse,
    UploadStatus,
)
from fieldapp.transport.uploads import ResumableUpload, UploadReport

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
RETRY_STATUSES = (429, 500, 502, 503, 504)
RESUMABLE_FROM = 256 * 1024  # larger files go up resumably (decision 0027)


@dataclass
class Tokens:
    """The current session's tokens; ``on_change`` persists them (the keyring, later)."""

    access: str | None = None
    refresh: str | None = None
    on_change: Callable[[Tokens], None] | None = None

    def update(self, access: str | None, refresh: str | None) -> None:
        """Replace both tokens and tell whoever keeps them."""
        self.access, self.refresh = access, refresh
        if self.on_change is not None:
            self.on_change(self)


def retry_policy(total: int = 4, backoff: float = 0.5) -> Retry:
    """Exponential backoff (0.5, 1, 2, 4 s) with jitter, on network errors, 429 and 5xx, any method."""
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=backoff,
        backoff_jitter=0.25,
        backoff_max=30,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class HttpTransport:
    """The server at ``base_url``, as the sync engine and the application need it."""

    def __init__(
        self,
        base_url: str,
        tokens: Tokens | None = None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retry: Retry | None = None,
        interrupted_retries: int = 2,
        interrupted_backoff_s: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens or Tokens()
        self.timeout = (connect_timeout, read_timeout)
        self.session = _session(self.base_url)
        adapter = HTTPAdapter(max_retries=retry if retry is not None else retry_policy(), pool_maxsize=4)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Resumable uploads are never retried by urllib3: after a cut the server's status says where to go on.
        self.upload_session = _session(self.base_url)
        for scheme in ("http://", "https://"):
            self.upload_session.mount(scheme, HTTPAdapter(max_retries=0, pool_maxsize=2))
        self.last_upload: UploadReport | None = None
        self._refresh_lock = threading.Lock()
        self.interrupted_retries, self.interrupted_backoff_s = interrupted_retries, interrupted_backoff_s

    # -- sign-in ---------------------------------------------------------------------------------------------

    def login(self, username: str, password: str, device_id: str, app_version: str = "") -> TokenResponse:
        """Sign in; keeps the tokens."""
        body = LoginRequest(
            username=username, password=password, device_id=device_id, app_version=app_version
        )
        answer = self._call(
            "POST", "/auth/login", TokenResponse, json=body.model_dump(mode="json"), auth=False
        )
        self.tokens.update(answer.access_token, answer.refresh_token)
        return answer

    def logout(self) -> None:
        """End the session on the server (best effort) and forget the tokens."""
        try:
            if self.tokens.access:
                self._request("POST", "/auth/logout", auth=True, refresh=False)
        finally:
            self.tokens.update(None, None)

    def account(self) -> AccountProfile | None:
        """The signed-in worker's and the agency's cards; None from a server that has none (older)."""
        try:
            response = self._request("GET", "/account")
        except Refused as refusal:
            if refusal.status == 404:
                return None
            raise
        try:
            return AccountProfile.parse(response.content)
        except ValueError as exc:
            raise ServerFailed("the server sent an answer this app does not understand (/account)") from exc

    # -- sync ------------------------------------------------------------------------------------------------

    def health(self) -> Health:
        """Server time and limits; needs no sign-in."""
        return self._call("GET", "/health", Health, auth=False)

    def push(self, request: PushRequest) -> PushResponse:
        """Send a batch of mutations."""
        body = request.model_dump_json(exclude_none=True)  # serialised by pydantic-core: no dict copy
        headers = {"Content-Type": "application/json"}
        return self._call("POST", "/sync/push", PushResponse, data=body.encode(), headers=headers)

    def pull(self, cursor: str | None, limit: int) -> PullPage:
        """One page of changes after ``cursor`` (changes kept in wire form, see ``PullPage``)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = self._request("GET", "/sync/pull", params=params)
        try:
            return PullPage.parse(response.content)
        except ValueError as exc:
            raise ServerFailed("the server sent an answer this app does not understand (/sync/pull)") from exc

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None:
        """Store a file under its hash (idempotent); a large one, and any photo (the whole-file PUT takes
        signature images and report PDFs only), resumably, if the server can."""
        if len(content) >= RESUMABLE_FROM or media_type not in files.KINDS:
            try:
                self.last_upload = self.upload_resumable(sha256, content, media_type)
                return
            except Refused as exc:
                if exc.code != "not_found" or exc.status != 404:
                    raise
                log.info("the server has no resumable uploads; sending the file whole")
        self._request("PUT", f"/blobs/{sha256}", data=content, headers={"Content-Type": media_type})

    def upload_resumable(
        self, sha256: str, content: bytes, media_type: str, piece_bytes: int | None = None
    ) -> UploadReport:
        """Send a file in pieces appended where the server stands (decision 0027); returns what it took."""
        path = f"/uploads/{sha256}"

        def status() -> UploadStatus | None:
            try:
                return self._call("GET", path, UploadStatus, via=self.upload_session)
            except Refused as exc:
                if exc.code == "no_upload":
                    return None
                raise

        def append(offset: int, piece: bytes) -> UploadStatus:
            headers = {
                "Content-Type": UPLOAD_CONTENT_TYPE,
                UPLOAD_OFFSET: str(offset),
                UPLOAD_LENGTH: str(len(content)),
                UPLOAD_TYPE: media_type,
            }
            return self._call(
                "PATCH", path, UploadStatus, data=piece, headers=headers, via=self.upload_session
            )

        extra = {} if piece_bytes is None else {"piece_bytes": piece_bytes}
        return ResumableUpload(status, append, content, **extra).run()

    def upload_audit(self, upload: AuditUpload) -> AuditAck:
        """Hand audit entries to the server (it keeps each once)."""
        return self._call("POST", "/audit/events", AuditAck, json=upload.model_dump(mode="json"))

    def confirm_wiped(self) -> None:
        """Tell the server this retired device is erasing itself (its sessions end)."""
        self._request("POST", "/devices/me/wiped", refresh=False)

    def download_blob(self, sha256: str) -> bytes:
        """A file the server holds and this user may read."""
        return self._request("GET", f"/blobs/{sha256}").content

    def submit_day_report(self, request: PushRequest) -> DayReceipt:
        """Submit an end-of-day report (its PDF uploaded first); returns the server's receipt."""
        return self._call("POST", "/reports/day", DayReceipt, json=request.model_dump(mode="json"))

    def events(self, last_event_id: str | None = None, read_timeout: float = 60.0) -> requests.Response:
        """An open server-sent-events response (``stream=True``); see ``fieldapp.transport.events``."""
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        return self._request(
            "GET", "/sync/events", headers=headers, stream=True, timeout=(self.timeout[0], read_timeout)
        )

    # -- plumbing --------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[M], *, auth: bool = True, **kwargs: Any) -> M:
        response = self._request(method, path, auth=auth, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise ServerFailed(f"the server sent an answer this app does not understand ({path})") from exc

    def _request(
        self, method: str, path: str, *, auth: bool = True, refresh: bool = True, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            if not self.tokens.access:
                raise SignInRequired("sign in to sync with the office")
            headers["Authorization"] = f"Bearer {self.tokens.access}"
        response = self._send(method, path, headers, kwargs)
        if response.status_code == 401 and auth and refresh and _error_code(response) == "token_expired":
            self._refresh()
            return self._request(method, path, auth=auth, refresh=False, headers=headers, **kwargs)
        _raise_for(response)
        return response

    def _send(
        self, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any]
    ) -> requests.Response:
        """One request; a transfer cut after the answer began is tried again (every request here is safe to
        repeat), with a short growing pause."""
        session: requests.Session = kwargs.pop("via", self.session)
        for attempt in range(self.interrupted_retries + 1):
            try:
                return session.request(method, self.base_url + path, headers=headers, **kwargs)
            except requests.RequestException as exc:
                if not _interrupted(exc):
                    raise Unreachable(_network_message(exc)) from exc
                if attempt == self.interrupted_retries:
                    raise Interrupted(
                        f"the transfer was interrupted {attempt + 1} times (the connection dropped mid-way); "
                        "it will be retried at the next sync, and your changes are safe on this tablet"
                    ) from exc
                log.info("transfer of %s %s interrupted; retrying", method, path)
                time.sleep(self.interrupted_backoff_s * 2**attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _refresh(self) -> None:
        with self._refresh_lock:
            if not self.tokens.refresh:
                raise SignInRequired("your session has ended; sign in again")
            body = RefreshRequest(refresh_token=self.tokens.refresh).model_dump(mode="json")
            try:
                answer = self._call("POST", "/auth/refresh", TokenResponse, json=body, auth=False)
            except SignInRequired:
                self.tokens.update(None, None)
                raise
            self.tokens.update(answer.access_token, answer.refresh_token)


def _session(base_url: str) -> requests.Session:
    """A session for one server: the environment's proxy (``HTTPS_PROXY``, ``NO_PROXY``...) and CA bundle
    (``REQUESTS_CA_BUNDLE``) are read once, here, for that server; requests would read them, and look
    for a .netrc, again on every request (most of a no-op sync's time on the tablet besides the wait)."""
    session = requests.Session()
    session.headers["User-Agent"] = "fieldapp-tablet"
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
    return session


def _raise_for(response: requests.Response) -> None:
    if response.status_code < 400:
        return
    error = _error_body(response)
    message = error.message if error else f"the server answered {response.status_code}"
    code = error.error if error else "http_error"
    if response.status_code == 401:
        raise SignInRequired(
            "your session has ended; sign in again" if code != "bad_credentials" else message
        )
    if response.status_code == 403 and code == "device_retired":
        raise DeviceRetired(message)
    if response.status_code >= 500:
        raise ServerFailed(
            f"the office server has a problem ({response.status_code}); your changes are safe "
            "on this tablet and will be sent later"
        )
    raise Refused(message, response.status_code, code, error.rejected if error else [])


def _error_body(response: requests.Response) -> ErrorBody | None:
    try:
        data = response.json()
        data.pop("problems", None)
        return ErrorBody.model_validate(data)
    except (ValueError, ValidationError, AttributeError):
        return None


def _error_code(response: requests.Response) -> str | None:
    error = _error_body(response)
    return error.error if error else None


def _network_message(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout) or _read_timed_out(exc):
        return "the office server did not answer in time; your changes are safe on this tablet"
    return "the office server cannot be reached (no connection); your changes are safe on this tablet"


def _interrupted(exc: requests.RequestException) -> bool:
    """The answer had begun (status line and headers read) when the connection broke: requests reports a
    body cut short as ChunkedEncodingError (urllib3's ProtocolError, IncompleteRead) or, for a compressed
    body, as ContentDecodingError."""
    return isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    )


def _read_timed_out(exc: requests.RequestException) -> bool:
    """A read timeout that outlasted the retries: urllib3 wraps it in MaxRetryError, which requests turns
    into a ConnectionError, not a Timeout, so the server looked unreachable instead of slow."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ReadTimeoutError)
