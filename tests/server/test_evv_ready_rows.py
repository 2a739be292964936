"""The EVV export rows kept ready (``exports.ready``, decision 0036), on both databases: after every kind of
write that changes a visit's row (a push of the visit, an exception recorded, the office's decision, the
sweep, the agency's thresholds, the patient's home, the worker's name, the time passing the signature
grace) the export is byte for byte what making every row afresh gives, whether the rows were kept up to
date (``refresh``) or not; and the stale rows are found (``stale_rows``), not trusted."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.evv_feed import write_csv, write_json
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.server.database import Database
from fieldapp.server.exceptions.sweep import sweep_missed
from fieldapp.server.exports import queries, ready
from fieldapp.server.models import User
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.test_evv_office import DAY, HOME, Day, at, decide, exception, worked
from tests.server.test_evv_office import day as day

AGENCY = "AGENCY-7"
NOW = datetime.now(UTC)


def _exports(database: Database, now: datetime) -> tuple[bytes, bytes]:
    """The ready export (CSV, JSON) of the day, and check it equals the one made afresh."""
    with database.read() as session:
        csv_out, json_out, period = io.BytesIO(), io.BytesIO(), (DAY.isoformat(), DAY.isoformat())
        ready.write_ready_csv(ready.ready_lines(session, DAY, DAY, "csv", now), csv_out, AGENCY)
        ready.write_ready_json(
            ready.ready_lines(session, DAY, DAY, "json", now), json_out, period=period, agency_id=AGENCY
        )
        fresh_csv, fresh_json = io.BytesIO(), io.BytesIO()
        write_csv(queries.verified_visits(session, DAY, DAY, AGENCY, now), fresh_csv)
        rows = queries.verified_visits(session, DAY, DAY, AGENCY, now)
        write_json(rows, fresh_json, period=period, agency_id=AGENCY)
    assert csv_out.getvalue() == fresh_csv.getvalue()
    assert json_out.getvalue() == fresh_json.getvalue()
    return csv_out.getvalue(), json_out.getvalue()


def _stale(database: Database, now: datetime = NOW) -> set[uuid.UUID]:
    with database.read() as session:
        return {row["visit_id"] for row in ready.stale_rows(session, DAY, now)}


def _kept(database: Database, now: datetime = NOW) -> int:
    """Export (before and after keeping the rows ready: the same bytes), keep them ready; how many were."""
    before = _exports(database, now)
    stored = ready.refresh(database, DAY, DAY, now)
    assert _exports(database, now) == before and _stale(database, now) == set()
    return stored


def _ids(database: Database, now: datetime = NOW) -> list[str]:
    csv_text = _exports(database, now)[0].decode()
    return [line.split(",")[1] for line in csv_text.splitlines()[1:]]


def test_ready_rows_follow_pushes_decisions_and_names(
    client: TestClient, day: Day, office: Device, nurse: Device, users: Users
) -> None:
    database = db.database(client)
    assert _stale(database) == {day.clean.id, day.late.id, day.far.id}  # nothing ready yet
    assert _kept(database) == 3 and _ids(database) == [str(day.clean.id)]

    short = exception_id(day.late.id, ExceptionCode.VISIT_TOO_SHORT)
    assert decide(office, [day.late_exception.id, short], "approved").status_code == 200
    assert _stale(database) == {day.late.id}  # the office's decision
    assert _ids(database) == [str(day.clean.id), str(day.late.id)]
    assert _kept(database) == 1

    nurse.pull_all()
    nurse.push_ok(nurse.update("visit", day.clean.id, {"worker_notes": "Left early"}))  # the visit pushed
    assert _stale(database) == {day.clean.id}
    _kept(database)
    nurse.push_ok(nurse.create(exception(day.clean, ExceptionCode.MANUAL_TIME, ExceptionReason.FORGOT)))
    assert _stale(database) == {day.clean.id}  # an exception recorded: the visit is no longer verified
    assert _ids(database) == [str(day.late.id)]
    _kept(database)

    with database.write() as session:  # the worker's name, as the export shows it
        session.execute(sa.update(User).where(User.id == users.nurse).values(username="nurse-renamed"))
    assert _stale(database) == {day.clean.id, day.late.id}
    assert b"nurse-renamed" in _exports(database, NOW)[0]
    _kept(database)


def test_ready_rows_follow_the_thresholds_the_home_and_the_time(
    client: TestClient, users: Users, office: Device
) -> None:
    database = db.database(client)
    p = h.patient(address=HOME)
    late = worked(p, users.nurse, "11:00", "11:40", "12:00")  # 40 min late, 20 of 60 minutes
    unsigned = worked(p, users.nurse, "15:00", "15:01", "15:58").model_copy(update={"signature_id": None})
    office.push_ok(office.create(p), office.create(late), office.create(unsigned))
    db.assign(office, users.nurse, p.id)
    early = at("16:00")  # before the signature's grace is over: the unsigned visit still counts
    assert _kept(database, early) == 2 and _ids(database, early) == [str(unsigned.id)]
    assert _stale(database, at("16:27")) == set()
    assert _stale(database, at("16:28")) == {unsigned.id}  # checked out 15:58: now it breaks no_signature
    assert _ids(database, at("16:28")) == []
    _kept(database, at("16:28"))
    assert _stale(database, at("18:00")) == set()  # made after the grace: time no longer changes it

    answer = office.client.put(
        "/admin/agency", headers=office.headers, json={"late_after_min": 45, "short_visit_pct": 30}
    )
    assert answer.status_code == 200, answer.text
    assert _stale(database) == {late.id, unsigned.id}  # every row: the rules changed
    assert _ids(database) == [str(late.id)]
    _kept(database)

    away = HOME.model_copy(update={"latitude": 41.9, "longitude": -73.9})  # the home set elsewhere
    office.pull_all()
    office.push_ok(office.update("patient", p.id, {"address": away.model_dump(mode="json")}))
    assert _stale(database) == {late.id, unsigned.id}
    assert _ids(database) == []  # the fixes are now far from the home
    _kept(database)


def test_ready_rows_follow_the_sweep(client: TestClient, users: Users, office: Device, nurse: Device) -> None:
    database = db.database(client)
    p = h.patient(address=HOME)
    visit = h.visit(p.id, users.nurse, at("09:00"))
    office.push_ok(office.create(p), office.create(visit))
    db.assign(office, users.nurse, p.id)
    with database.write() as session:
        assert sweep_missed(session, db.settings(client), at("11:01")) == 1  # missed, by the sweep
    nurse.pull_all()
    event = {"device_time": at("09:10").isoformat(), "server_time": at("09:10").isoformat()}
    done = {"device_time": at("09:59").isoformat(), "server_time": at("09:59").isoformat()}
    changes = {"check_in": event, "check_out": done, "status": "completed", "signature_id": str(uuid.uuid4())}
    nurse.push_ok(nurse.update("visit", visit.id, changes))
    # Still missed on record: the declared place (no GPS) is not what keeps it out, the open record is.
    assert _kept(database) == 1 and _ids(database) == []
    with database.write() as session:
        assert sweep_missed(session, db.settings(client), at("11:30")) == 1  # withdrawn by the sweep
    assert _stale(database) == {visit.id}
    _kept(database)


@pytest.mark.parametrize("agency", ["AGENCY-7", 'A,B "quoted"'])
def test_the_ready_writers_give_the_bytes_of_the_row_writers(
    client: TestClient, day: Day, office: Device, agency: str
) -> None:
    database = db.database(client)
    ready.refresh(database, DAY, DAY, NOW)
    short = exception_id(day.late.id, ExceptionCode.VISIT_TOO_SHORT)
    decide(office, [day.late_exception.id, short], "approved")
    with database.read() as session:
        out, fresh = io.BytesIO(), io.BytesIO()
        ready.write_ready_csv(ready.ready_lines(session, DAY, DAY, "csv", NOW), out, agency)
        write_csv(queries.verified_visits(session, DAY, DAY, agency, NOW), fresh)
        assert out.getvalue() == fresh.getvalue() and out.getvalue().count(b"\r\n") == 3
        empty_day = DAY - timedelta(days=5)
        out, fresh, period = io.BytesIO(), io.BytesIO(), (empty_day.isoformat(), empty_day.isoformat())
        lines = ready.ready_lines(session, empty_day, empty_day, "json", NOW)
        written = ready.write_ready_json(lines, out, period=period, agency_id=agency)
        write_json([], fresh, period=period, agency_id=agency)
        assert written.rows == 0 and out.getvalue() == fresh.getvalue()
