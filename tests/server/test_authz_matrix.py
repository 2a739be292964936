"""Who may do what: every endpoint, by role, on the worker's own records and on another worker's.

"own" is a record of the nurse (a patient on her caseload, her visit, her blob, her day report); "foreign"
is the aide's. The worker acting is the nurse; office staff and admins act on both workers' records. A
refusal must change nothing: the change counter, every table's row count, and every record's and
assignment's change number are compared before and after.

The world is built once per database (module scope) so the whole table stays fast; a permitted action
works on fresh records where it changes anything, so the cases do not depend on each other.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.entities import DayReport
from fieldapp.server import migrate
from fieldapp.server.api import create_app
from fieldapp.server.auth import sessions as auth
from fieldapp.server.db import make_engine
from fieldapp.server.models import Assignment, Base, Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role
from tests.server import helpers as h
from tests.server.conftest import PASSWORD
from tests.server.helpers import Device
from tests.server.scenario import EventReader, scratch_postgres_database
from tests.server.serverdb import newest_position

SUMMARY = dict.fromkeys(
    [
        "visits_scheduled",
        "visits_completed",
        "visits_missed",
        "visits_unsigned",
        "visits_missing_evv",
        "notes",
        "observations",
        "unsent_changes",
        "open_conflicts",
    ],
    0,
)

# fmt: off
#                               worker         office         admin          signed out
#                               own  foreign   own  foreign   own  foreign   (any)
TABLE: dict[str, tuple[int, ...]] = {
    "push: edit patient":       (200, 403,     200, 200,      200, 200,      401),
    "push: new patient":        (403, 403,     200, 200,      200, 200,      401),
    "push: new visit":          (200, 403,     200, 200,      200, 200,      401),
    "push: edit visit":         (200, 403,     200, 200,      200, 200,      401),
    "push: new visit note":     (200, 403,     200, 200,      200, 200,      401),
    "push: new observation":    (200, 403,     200, 200,      200, 200,      401),
    "push: new signature":      (200, 403,     200, 200,      200, 200,      401),
    "push: new day report":     (200, 403,     200, 200,      200, 200,      401),
    "pull":                     (200, 200,     200, 200,      200, 200,      401),
    "events":                   (200, 200,     200, 200,      200, 200,      401),
    "blob: upload":             (201, 201,     201, 201,      201, 201,      401),
    "blob: download":           (200, 403,     200, 200,      200, 200,      401),
    "upload: resumable piece":  (200, 200,     200, 200,      200, 200,      401),
    "upload: status":           (200, 404,     404, 404,      404, 404,      401),
    "day report: submit":       (200, 403,     200, 200,      200, 200,      401),
    "day report: receipt":      (200, 403,     200, 200,      200, 200,      401),
    "caseload: assign":         (403, 403,     204, 204,      204, 204,      401),
    "caseload: unassign":       (403, 403,     204, 204,      204, 204,      401),
    "audit: upload own log":    (200, 403,     200, 403,      200, 403,      401),
    "audit: device logs":       (403, 403,     200, 200,      200, 200,      401),
    "audit: api accesses":      (403, 403,     200, 200,      200, 200,      401),
    "fleet: list devices":      (403, 403,     200, 200,      200, 200,      401),
    "fleet: disable device":    (403, 403,     204, 204,      204, 204,      401),
    "fleet: enable device":     (403, 403,     204, 204,      204, 204,      401),
    "fleet: disable user":      (403, 403,     200, 200,      200, 200,      401),
    "device: confirm wipe":     (204, 204,     204, 204,      204, 204,      401),
    "integrity: problems":      (403, 403,     200, 200,      200, 200,      401),
    "integrity: signature":     (403, 403,     200, 200,      200, 200,      401),
    "people: own account":      (200, 200,     200, 200,      200, 200,      401),
    "people: worker's card":    (403, 403,     200, 200,      200, 200,      401),
    "people: agency's card":    (403, 403,     200, 200,      200, 200,      401),
    "schedule: put visit":      (403, 403,     200, 200,      200, 200,      401),
    "schedule: cancel visit":   (403, 403,     200, 200,      200, 200,      401),
    "schedule: read visit":     (403, 403,     200, 200,      200, 200,      401),
    "schedule: put series":     (403, 403,     200, 200,      200, 200,      401),
    "schedule: cancel series":  (403, 403,     200, 200,      200, 200,      401),
    "schedule: import":         (403, 403,     200, 200,      200, 200,      401),
    "schedule: restore visit":  (403, 403,     200, 200,      200, 200,      401),
    "schedule: read occurrence": (403, 403,    200, 200,      200, 200,      401),
    "schedule: put occurrence": (403, 403,     200, 200,      200, 200,      401),
    "schedule: cancel occurrence": (403, 403,  200, 200,      200, 200,      401),
    "schedule: restore occurrence": (403, 403, 200, 200,      200, 200,      401),
    "schedule: read hours":     (403, 403,     200, 200,      200, 200,      401),
    "schedule: put hours":      (403, 403,     200, 200,      200, 200,      401),
    "exceptions: queue":        (403, 403,     200, 200,      200, 200,      401),
    "exceptions: decide":       (403, 403,     200, 200,      200, 200,      401),
    "exports: evv":             (403, 403,     200, 200,      200, 200,      401),
    "exports: timesheet":       (403, 403,     200, 200,      200, 200,      401),
    "exports: list":            (403, 403,     200, 200,      200, 200,      401),
}
# fmt: on
COLUMNS = [
    ("worker", "own"),
    ("worker", "foreign"),
    ("office", "own"),
    ("office", "foreign"),
    ("admin", "own"),
    ("admin", "foreign"),
    ("signed out", "own"),
]
CASES = [
    pytest.param(action, actor, target, status, id=f"{action} | {actor} | {target} -> {status}")
    for action, statuses in TABLE.items()
    for (actor, target), status in zip(COLUMNS, statuses, strict=True)
]


@dataclass
class Target:
    """One worker's records."""

    worker: Device
    patient: h.Patient
    visit: h.Visit
    blob: str
    report: uuid.UUID
    signature: uuid.UUID


@dataclass
class World:
    client: TestClient
    actors: dict[str, Device]
    office: Device
    own: Target
    foreign: Target


def _world(url: str) -> Iterator[World]:
    settings = Settings(database_url=url, heartbeat_s=0.5, api_docs=True)
    with TestClient(create_app(settings, migrate_schema=False)) as client:
        now = datetime.now(UTC)
        with client.app.state.database.write() as session:  # type: ignore[attr-defined]
            for name, role in [
                ("office", Role.OFFICE),
                ("admin", Role.ADMIN),
                ("nurse", Role.WORKER),
                ("aide", Role.WORKER),
            ]:
                auth.create_user(session, name, PASSWORD, role, now)
        office = Device.sign_in(client, "office", PASSWORD, "office1")
        admin = Device.sign_in(client, "admin", PASSWORD, "admin1")
        nurse = Device.sign_in(client, "nurse", PASSWORD, "tablet1")
        aide = Device.sign_in(client, "aide", PASSWORD, "tablet2")
        stranger = replace(nurse, token="not-a-token-this-server-gave-out")
        own, foreign = (_records(client, office, worker) for worker in (nurse, aide))
        for device in (office, admin, nurse, aide):
            device.pull_all()
        actors = {"worker": nurse, "office": office, "admin": admin, "signed out": stranger}
        yield World(client, actors, office, own, foreign)


def _records(client: TestClient, office: Device, worker: Device) -> Target:
    p = h.patient()
    v = h.visit(p.id, worker.user_id)
    office.push_ok(office.create(p), office.create(v))
    assert client.put(f"/caseloads/{worker.user_id}/{p.id}", headers=office.headers).status_code == 204
    image = worker.upload(h.PNG + worker.username.encode())
    signature = h.signature_for(v, [], [], image)
    worker.push_ok(worker.create(signature))
    pdf = b"%PDF-1.7 " + worker.username.encode()
    worker.upload(pdf, "application/pdf")
    report = DayReport(
        worker_id=worker.user_id,
        day=date.today(),
        summary=SUMMARY,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_at=datetime.now(UTC),
    )
    worker.push_ok(worker.create(report))
    return Target(worker, p, v, image, report.id, signature.id)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("authz") / "server.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield from _world(f"sqlite:///{path}")
        return
    with scratch_postgres_database() as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield from _world(url)


# -- the actions ---------------------------------------------------------------------------------------------
# Each prepares what it needs (unmeasured) and returns the one request whose effect is measured.

Request = Callable[[], httpx2.Response]


def _fresh_bytes(prefix: bytes) -> bytes:
    return prefix + uuid.uuid4().bytes


def _push(actor: Device, *mutations: dict[str, Any]) -> Request:
    return lambda: actor.push(*mutations)


def edit_patient(w: World, actor: Device, t: Target) -> Request:
    return _push(
        actor, actor.update("patient", t.patient.id, {"phone": f"555-{uuid.uuid4().int % 10000:04d}"})
    )


def new_patient(w: World, actor: Device, t: Target) -> Request:
    return _push(actor, actor.create(h.patient()))


def new_visit(w: World, actor: Device, t: Target) -> Request:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    return _push(actor, actor.create(h.visit(t.patient.id, t.worker.user_id, start)))


def edit_visit(w: World, actor: Device, t: Target) -> Request:
    return _push(actor, actor.update("visit", t.visit.id, {"status": "in_progress"}))


def new_note(w: World, actor: Device, t: Target) -> Request:
    return _push(actor, actor.create(h.note(t.visit, actor.user_id)))


def new_observation(w: World, actor: Device, t: Target) -> Request:
    return _push(actor, actor.create(h.observation(t.visit)))


def new_signature(w: World, actor: Device, t: Target) -> Request:
    image = w.office.upload(_fresh_bytes(h.PNG))
    return _push(actor, actor.create(h.signature_for(t.visit, [], [], image)))


def _report(w: World, t: Target) -> DayReport:
    pdf = _fresh_bytes(b"%PDF-1.7 ")
    w.office.upload(pdf, "application/pdf")
    return DayReport(
        worker_id=t.worker.user_id,
        day=date.today(),
        summary=SUMMARY,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_at=datetime.now(UTC),
    )


def new_day_report(w: World, actor: Device, t: Target) -> Request:
    return _push(actor, actor.create(_report(w, t)))


def pull(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get("/sync/pull", headers=actor.headers)


def events(w: World, actor: Device, t: Target) -> Request:
    def connect() -> httpx2.Response:
        with w.client.stream("GET", "/sync/events", headers=actor.headers) as response:
            if response.status_code == 200:
                assert "connected" in EventReader(response.iter_lines()).next().comments
            else:
                response.read()
            return response

    return connect


def upload(w: World, actor: Device, t: Target) -> Request:
    content = _fresh_bytes(h.PNG)
    name = hashlib.sha256(content).hexdigest()
    headers = {**actor.headers, "Content-Type": "image/png"}
    return lambda: w.client.put(f"/blobs/{name}", content=content, headers=headers)


def upload_piece(w: World, actor: Device, t: Target) -> Request:
    content = _fresh_bytes(h.PNG)
    headers = {
        **actor.headers,
        "Upload-Offset": "0",
        "Upload-Length": str(len(content)),
        "Upload-Type": "image/png",
    }
    return lambda: w.client.patch(
        f"/uploads/{hashlib.sha256(content).hexdigest()}", content=content, headers=headers
    )


def upload_status(w: World, actor: Device, t: Target) -> Request:
    """The target worker has begun an upload: only she sees where it stands (uploads are per user)."""
    content = _fresh_bytes(h.PNG) + b"\0" * 64
    name = hashlib.sha256(content).hexdigest()
    headers = {
        **t.worker.headers,
        "Upload-Offset": "0",
        "Upload-Length": str(len(content)),
        "Upload-Type": "image/png",
    }
    assert w.client.patch(f"/uploads/{name}", content=content[:16], headers=headers).status_code == 200
    return lambda: w.client.get(f"/uploads/{name}", headers=actor.headers)


def download(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/blobs/{t.blob}", headers=actor.headers)


def submit_report(w: World, actor: Device, t: Target) -> Request:
    body = {"device_id": actor.device_id, "mutations": [actor.create(_report(w, t))]}
    return lambda: w.client.post("/reports/day", headers=actor.headers, json=body)


def receipt(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/reports/day/{t.report}/receipt", headers=actor.headers)


def assign(w: World, actor: Device, t: Target) -> Request:
    p = h.patient()
    w.office.push_ok(w.office.create(p))
    return lambda: w.client.put(f"/caseloads/{t.worker.user_id}/{p.id}", headers=actor.headers)


def unassign(w: World, actor: Device, t: Target) -> Request:
    p = h.patient()
    w.office.push_ok(w.office.create(p))
    assert w.client.put(f"/caseloads/{t.worker.user_id}/{p.id}", headers=w.office.headers).status_code == 204
    return lambda: w.client.delete(f"/caseloads/{t.worker.user_id}/{p.id}", headers=actor.headers)


def upload_audit(w: World, actor: Device, t: Target) -> Request:
    # "own": the actor's own device id; "foreign": the target worker's device (never the actor's own).
    device_id = actor.device_id if t is w.own else t.worker.device_id + "x"
    body = {"device_id": device_id, "events": h.audit_events(2, start=1)}
    if t is w.own and actor.token != w.actors["signed out"].token:
        fresh = Device.sign_in(w.client, actor.username, PASSWORD, f"audit{uuid.uuid4().hex[:8]}")
        body["device_id"] = fresh.device_id
        return lambda: w.client.post("/audit/events", headers=fresh.headers, json=body)
    return lambda: w.client.post("/audit/events", headers=actor.headers, json=body)


def device_logs(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/admin/audit/devices?username={t.worker.username}", headers=actor.headers)


def api_accesses(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/admin/audit/access?user_id={t.worker.user_id}", headers=actor.headers)


def list_devices(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get("/admin/devices", headers=actor.headers)


def _spare_device(w: World, t: Target) -> Device:
    return Device.sign_in(w.client, t.worker.username, PASSWORD, f"spare{uuid.uuid4().hex[:8]}")


def disable_device(w: World, actor: Device, t: Target) -> Request:
    spare = _spare_device(w, t)
    return lambda: w.client.post(f"/admin/devices/{spare.device_id}/disable", headers=actor.headers)


def enable_device(w: World, actor: Device, t: Target) -> Request:
    spare = _spare_device(w, t)
    assert (
        w.client.post(f"/admin/devices/{spare.device_id}/disable", headers=w.office.headers).status_code
        == 204
    )
    return lambda: w.client.post(f"/admin/devices/{spare.device_id}/enable", headers=actor.headers)


def disable_user(w: World, actor: Device, t: Target) -> Request:
    name = f"temp{uuid.uuid4().hex[:8]}"
    with w.client.app.state.database.write() as session:  # type: ignore[attr-defined]
        user = auth.create_user(session, name, PASSWORD, Role.WORKER, datetime.now(UTC))
    Device.sign_in(w.client, name, PASSWORD, f"t{uuid.uuid4().hex[:8]}")
    return lambda: w.client.post(f"/admin/users/{user.id}/disable", headers=actor.headers)


def confirm_wipe(w: World, actor: Device, t: Target) -> Request:
    if actor.token == w.actors["signed out"].token:
        return lambda: w.client.post("/devices/me/wiped", headers=actor.headers)
    fresh = Device.sign_in(w.client, actor.username, PASSWORD, f"wipe{uuid.uuid4().hex[:8]}")
    return lambda: w.client.post("/devices/me/wiped", headers=fresh.headers)


def integrity_problems(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get("/admin/integrity", headers=actor.headers)


def check_signature(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/admin/signatures/{t.signature}/check", headers=actor.headers)


def own_account(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get("/account", headers=actor.headers)


def worker_card(w: World, actor: Device, t: Target) -> Request:
    body = {"full_name": "Ana López", "credential": "HHA"}
    return lambda: w.client.put(f"/admin/users/{t.worker.user_id}/card", headers=actor.headers, json=body)


def agency_card(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.put("/admin/agency", headers=actor.headers, json={"name": "Sunrise Home Care"})


def _visit_body(t: Target) -> dict[str, Any]:
    return {"worker": t.worker.username, "patient_mrn": t.patient.mrn, "date": "2027-02-01",
            "start": "09:00", "end": "10:00", "service_code": "T1019"}  # fmt: skip


def _scheduled(w: World, t: Target) -> str:
    """A visit the office scheduled by an external id of its own: the id."""
    external_id = f"AZ-{uuid.uuid4().hex[:10]}"
    put = w.client.put(f"/schedule/visits/{external_id}", headers=w.office.headers, json=_visit_body(t))
    assert put.status_code == 200, put.text
    return external_id


def put_schedule_visit(w: World, actor: Device, t: Target) -> Request:
    path = f"/schedule/visits/AZ-{uuid.uuid4().hex[:10]}"
    return lambda: w.client.put(path, headers=actor.headers, json=_visit_body(t))


def cancel_schedule_visit(w: World, actor: Device, t: Target) -> Request:
    path = f"/schedule/visits/{_scheduled(w, t)}/cancel"
    return lambda: w.client.post(path, headers=actor.headers, json={"reason": "client in hospital"})


def read_schedule_visit(w: World, actor: Device, t: Target) -> Request:
    path = f"/schedule/visits/{_scheduled(w, t)}"
    return lambda: w.client.get(path, headers=actor.headers)


def _series_body(t: Target) -> dict[str, Any]:
    return {"worker": t.worker.username, "patient_mrn": t.patient.mrn, "weekdays": ["tue"],
            "start_date": "2027-03-01", "end_date": "2027-03-14", "start": "15:00", "end": "16:00",
            "service_code": "G0156"}  # fmt: skip


def put_schedule_series(w: World, actor: Device, t: Target) -> Request:
    path = f"/schedule/series/AZ-{uuid.uuid4().hex[:10]}"
    return lambda: w.client.put(path, headers=actor.headers, json=_series_body(t))


def _series(w: World, t: Target) -> str:
    """A series the office scheduled by an external id of its own (Tuesdays from 2 March 2027): the id."""
    external_id = f"AZ-{uuid.uuid4().hex[:10]}"
    made = w.client.put(f"/schedule/series/{external_id}", headers=w.office.headers, json=_series_body(t))
    assert made.status_code == 200, made.text
    return external_id


def cancel_schedule_series(w: World, actor: Device, t: Target) -> Request:
    external_id = _series(w, t)
    body = {"reason": "moved away", "effective_from": "2027-03-01"}
    return lambda: w.client.post(f"/schedule/series/{external_id}/cancel", headers=actor.headers, json=body)


def _cancelled(w: World, path: str) -> str:
    """``path`` (a visit or an occurrence) cancelled by the office."""
    cancel = w.client.post(f"{path}/cancel", headers=w.office.headers, json={"reason": "client away"})
    assert cancel.status_code == 200, cancel.text
    return path


def restore_schedule_visit(w: World, actor: Device, t: Target) -> Request:
    path = _cancelled(w, f"/schedule/visits/{_scheduled(w, t)}")
    return lambda: w.client.post(f"{path}/restore", headers=actor.headers)


def _occurrence(w: World, t: Target) -> str:
    return f"/schedule/series/{_series(w, t)}/occurrences/2027-03-02"


def read_occurrence(w: World, actor: Device, t: Target) -> Request:
    path = _occurrence(w, t)
    return lambda: w.client.get(path, headers=actor.headers)


def put_occurrence(w: World, actor: Device, t: Target) -> Request:
    path = _occurrence(w, t)
    body = {"worker": t.worker.username, "start": "16:00", "end": "17:00", "service_code": "G0156"}
    return lambda: w.client.put(path, headers=actor.headers, json=body)


def cancel_occurrence(w: World, actor: Device, t: Target) -> Request:
    path = _occurrence(w, t)
    return lambda: w.client.post(f"{path}/cancel", headers=actor.headers, json={"reason": "client away"})


def restore_occurrence(w: World, actor: Device, t: Target) -> Request:
    path = _cancelled(w, _occurrence(w, t))
    return lambda: w.client.post(f"{path}/restore", headers=actor.headers)


def read_hours(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get(f"/schedule/workers/{t.worker.username}/hours", headers=actor.headers)


def put_hours(w: World, actor: Device, t: Target) -> Request:
    body = {"windows": [{"day": "mon", "start": "08:00", "end": "16:00"}], "max_weekly_hours": 40}
    return lambda: w.client.put(
        f"/schedule/workers/{t.worker.username}/hours", headers=actor.headers, json=body
    )


def import_schedule(w: World, actor: Device, t: Target) -> Request:
    row = f"AZ-{uuid.uuid4().hex[:10]},{t.worker.username},{t.patient.mrn},2027-04-06,11:00,12:00,T1019"
    data = f"external_id,worker,patient_mrn,date,start,end,service_code\n{row}\n".encode()
    headers = actor.headers | {"Content-Type": "text/csv"}
    return lambda: w.client.post("/schedule/import", headers=headers, content=data)


def exception_queue(w: World, actor: Device, t: Target) -> Request:
    day = t.visit.scheduled_start.date().isoformat()
    return lambda: w.client.get("/admin/exceptions", params={"day": day}, headers=actor.headers)


def decide_exception(w: World, actor: Device, t: Target) -> Request:
    from fieldapp.domain.entities import VisitException
    from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason

    found = VisitException(
        visit_id=t.visit.id,
        patient_id=t.patient.id,
        worker_id=t.visit.worker_id,
        code=ExceptionCode.LATE_CHECK_IN,
        detected_at=t.visit.scheduled_start,
        reason=ExceptionReason.TRAFFIC_OR_TRAVEL,
    )
    t.worker.push_ok(t.worker.create(found))
    body = {"ids": [str(found.id)], "decision": "approved", "note": ""}
    return lambda: w.client.post("/admin/exceptions/decide", json=body, headers=actor.headers)


def export(kind: str) -> Callable[[World, Device, Target], Request]:
    def build(w: World, actor: Device, t: Target) -> Request:
        day = t.visit.scheduled_start.date().isoformat()
        return lambda: w.client.get(
            f"/admin/exports/{kind}", params={"from": day, "to": day}, headers=actor.headers
        )

    return build


def exports_made(w: World, actor: Device, t: Target) -> Request:
    return lambda: w.client.get("/admin/exports", headers=actor.headers)


ACTIONS: dict[str, Callable[[World, Device, Target], Request]] = {
    "push: edit patient": edit_patient,
    "push: new patient": new_patient,
    "push: new visit": new_visit,
    "push: edit visit": edit_visit,
    "push: new visit note": new_note,
    "push: new observation": new_observation,
    "push: new signature": new_signature,
    "push: new day report": new_day_report,
    "pull": pull,
    "events": events,
    "blob: upload": upload,
    "blob: download": download,
    "upload: resumable piece": upload_piece,
    "upload: status": upload_status,
    "day report: submit": submit_report,
    "day report: receipt": receipt,
    "caseload: assign": assign,
    "caseload: unassign": unassign,
    "audit: upload own log": upload_audit,
    "audit: device logs": device_logs,
    "audit: api accesses": api_accesses,
    "fleet: list devices": list_devices,
    "fleet: disable device": disable_device,
    "fleet: enable device": enable_device,
    "fleet: disable user": disable_user,
    "device: confirm wipe": confirm_wipe,
    "integrity: problems": integrity_problems,
    "integrity: signature": check_signature,
    "people: own account": own_account,
    "people: worker's card": worker_card,
    "people: agency's card": agency_card,
    "schedule: put visit": put_schedule_visit,
    "schedule: cancel visit": cancel_schedule_visit,
    "schedule: read visit": read_schedule_visit,
    "schedule: put series": put_schedule_series,
    "schedule: cancel series": cancel_schedule_series,
    "schedule: import": import_schedule,
    "schedule: restore visit": restore_schedule_visit,
    "schedule: read occurrence": read_occurrence,
    "schedule: put occurrence": put_occurrence,
    "schedule: cancel occurrence": cancel_occurrence,
    "schedule: restore occurrence": restore_occurrence,
    "schedule: read hours": read_hours,
    "schedule: put hours": put_hours,
    "exceptions: queue": exception_queue,
    "exceptions: decide": decide_exception,
    "exports: evv": export("evv"),
    "exports: timesheet": export("timesheet"),
    "exports: list": exports_made,
}
assert ACTIONS.keys() == TABLE.keys()


def snapshot(client: TestClient) -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        counts = {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name != "api_access"  # a refused request is still recorded as an access
        }
        return {
            "counter": newest_position(session),
            "rows": counts,
            "records": sorted(session.execute(sa.select(Record.id, Record.seq, Record.deleted)).all()),
            "assignments": sorted(
                session.execute(
                    sa.select(Assignment.worker_id, Assignment.patient_id, Assignment.active, Assignment.seq)
                ).all()
            ),
        }


@pytest.mark.parametrize(("action", "actor", "target", "expected"), CASES)
def test_authorization(world: World, action: str, actor: str, target: str, expected: int) -> None:
    device = world.actors[actor]
    request = ACTIONS[action](world, device, world.own if target == "own" else world.foreign)
    before = snapshot(world.client)

    response = request()

    assert response.status_code == expected, response.read()
    if expected >= 400:
        assert snapshot(world.client) == before, "a refused request changed something"
        body = response.json()
        assert body["error"] and body["message"]


def test_a_workers_pull_holds_her_records_and_none_of_another_workers(world: World) -> None:
    nurse = replace(world.actors["worker"], cursor=None, replica={})
    nurse.pull_all()
    assert {world.own.patient.id, world.own.visit.id, world.own.report} <= nurse.replica.keys()
    foreign = {world.foreign.patient.id, world.foreign.visit.id, world.foreign.report}
    assert not foreign & nurse.replica.keys()
    patients = {
        values["patient_id"]
        for _, state in nurse.replica.values()
        if "patient_id" in (values := state.values())
    }
    assert str(world.foreign.patient.id) not in patients


def test_the_table_covers_every_route_of_the_api(world: World) -> None:
    """A new route must be added to the table (health and the auth routes are covered by test_auth)."""
    covered = {
        ("POST", "/sync/push"),
        ("GET", "/sync/pull"),
        ("GET", "/sync/events"),
        ("PUT", "/blobs/{sha256}"),
        ("GET", "/blobs/{sha256}"),
        ("PATCH", "/uploads/{sha256}"),
        ("GET", "/uploads/{sha256}"),
        ("POST", "/reports/day"),
        ("GET", "/reports/day/{report_id}/receipt"),
        ("PUT", "/caseloads/{worker_id}/{patient_id}"),
        ("DELETE", "/caseloads/{worker_id}/{patient_id}"),
        ("POST", "/audit/events"),
        ("GET", "/admin/audit/devices"),
        ("GET", "/admin/audit/access"),
        ("GET", "/admin/devices"),
        ("POST", "/admin/devices/{device_id}/disable"),
        ("POST", "/admin/devices/{device_id}/enable"),
        ("POST", "/admin/users/{user_id}/disable"),
        ("POST", "/devices/me/wiped"),
        ("GET", "/admin/integrity"),
        ("GET", "/admin/signatures/{signature_id}/check"),
        ("GET", "/account"),
        ("PUT", "/admin/users/{user_id}/card"),
        ("PUT", "/admin/agency"),
        ("PUT", "/schedule/visits/{external_id}"),
        ("POST", "/schedule/visits/{external_id}/cancel"),
        ("GET", "/schedule/visits/{external_id}"),
        ("PUT", "/schedule/series/{external_id}"),
        ("POST", "/schedule/series/{external_id}/cancel"),
        ("POST", "/schedule/import"),
        ("POST", "/schedule/visits/{external_id}/restore"),
        ("GET", "/schedule/series/{external_id}/occurrences/{day}"),
        ("PUT", "/schedule/series/{external_id}/occurrences/{day}"),
        ("POST", "/schedule/series/{external_id}/occurrences/{day}/cancel"),
        ("POST", "/schedule/series/{external_id}/occurrences/{day}/restore"),
        ("GET", "/schedule/workers/{worker}/hours"),
        ("PUT", "/schedule/workers/{worker}/hours"),
        ("GET", "/admin/exceptions"),
        ("POST", "/admin/exceptions/decide"),
        ("GET", "/admin/exports/evv"),
        ("GET", "/admin/exports/timesheet"),
        ("GET", "/admin/exports"),
    }
    elsewhere = {("GET", "/health")} | {
        (m, f"/auth/{p}")
        for m, p in [("POST", "login"), ("POST", "refresh"), ("POST", "logout"), ("GET", "me")]
    }
    schema = world.client.get("/openapi.json").json()
    routes = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert routes == covered | elsewhere
