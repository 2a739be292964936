"""``fieldapp admin verify`` on SQLite and PostgreSQL: every signature, file, day-report PDF and both audit
chains checked; each problem printed on a line; exit 0 when all holds, 11 when anything does not, 2 for a
bad ``--since``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.__main__ import main
from fieldapp.domain.entities import DayReport
from fieldapp.failures import Exit
from fieldapp.server.models import Blob, DeviceAuditEvent, IntegrityProblem, Record
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import PNG, Device
from tests.server.scenario import DoneVisit, patient_on_caseload, work_visit

EXIT_PROBLEMS = Exit.INTEGRITY  # 11
SUMMARY = dict.fromkeys(
    ["visits_scheduled", "visits_completed", "visits_missed", "visits_unsigned", "visits_missing_evv",
     "notes", "observations", "unsent_changes", "open_conflicts"], 0,
)  # fmt: skip


def verify(database_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["admin", "--database", database_url, "verify", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def a_day(
    client: TestClient, office: Device, nurse: Device, users: Users, visits: int = 2
) -> list[DoneVisit]:
    """The nurse's day: worked and signed visits, the day report with its PDF, her tablet's audit log."""
    start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    done = []
    for index in range(visits):
        p = patient_on_caseload(client, office, users.nurse)
        v = h.visit(p.id, users.nurse, start + timedelta(hours=index * 2))
        office.push_ok(office.create(v))
        nurse.pull_all()
        done.append(work_visit(nurse, v, image=PNG + uuid.uuid4().bytes))
    pdf = b"%PDF-1.7\n% the nurse's day " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    report = DayReport(
        worker_id=users.nurse,
        day=start.date(),
        summary=SUMMARY,
        pdf_sha256=nurse.upload(pdf, "application/pdf"),
        submitted_at=datetime.now(UTC),
    )
    nurse.push_ok(nurse.create(report))
    body = {"device_id": nurse.device_id, "events": h.audit_events(6, username="nurse")}
    assert client.post("/audit/events", headers=nurse.headers, json=body).status_code == 200
    return done


def test_an_intact_database_passes_and_says_what_it_checked(
    client: TestClient,
    database_url: str,
    office: Device,
    nurse: Device,
    users: Users,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a_day(client, office, nurse, users)
    code, lines, err = verify(database_url, capsys)
    assert code == 0, [*lines, err]
    [summary] = lines
    assert summary.startswith("checked ") and summary.endswith(": 0 problems")
    for part in (
        "3 files",
        "2 signatures",
        "1 day reports",
        "6 audit entries",
        "1 devices",
        "0 integrity log",
    ):
        assert part in summary, summary


def test_a_tampered_database_is_reported_line_by_line_and_exits_4(
    client: TestClient,
    database_url: str,
    office: Device,
    nurse: Device,
    users: Users,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = a_day(client, office, nurse, users)
    report = _report_pdf(client)
    with db.database(client).write() as session:
        row = session.get(Record, first.signature.id)
        assert row is not None
        strokes = [[{**point, "x": point["x"] + 1} for point in stroke] for stroke in row.fields["strokes"]]
        row.fields = {**row.fields, "strokes": strokes}
        blob = session.get(Blob, second.image_sha)
        assert blob is not None
        blob.content = PNG + b"a forged picture"
        session.execute(sa.delete(Blob).where(Blob.sha256 == report))
        entries = {e.seq: e for e in session.scalars(sa.select(DeviceAuditEvent))}
        entries[2].detail = "nothing to see"
        session.delete(entries[4])
    code, lines, _ = verify(database_url, capsys)
    assert code == EXIT_PROBLEMS, lines
    problems = lines[:-1]
    expected = [
        f"file {second.image_sha}: its bytes hash to",
        f"signature {first.signature.id}: the pen strokes (points, times, pressure) no longer match",
        f"signature {second.signature.id}: the image bytes do not match the image hash",
        "day report ",
        f"device audit {nurse.device_id}: entry 2 was changed after it arrived",
        f"device audit {nurse.device_id}: entry 5 does not follow entry 3, though it did when it arrived",
    ]
    assert len(problems) == len(expected), problems
    for start in expected:
        assert sum(line.startswith(start) for line in problems) == 1, (start, problems)
    assert any(f"its PDF {report} is not stored" in line for line in problems)
    assert lines[-1].endswith(": 6 problems")
    # What it found is in the integrity log, once, however often verify runs.
    with db.database(client).read() as session:
        logged = session.scalars(
            sa.select(IntegrityProblem).where(IntegrityProblem.found_by == "verify")
        ).all()
    assert len(logged) == 6
    code, lines, _ = verify(database_url, capsys)
    assert (
        code == EXIT_PROBLEMS
        and lines[-1].endswith(": 6 problems")
        and "6 integrity log entries" in lines[-1]
    )
    with db.database(client).read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(IntegrityProblem)) == 6


def test_the_integrity_log_chain_is_checked_too(
    client: TestClient,
    database_url: str,
    office: Device,
    nurse: Device,
    users: Users,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [done] = a_day(client, office, nurse, users, visits=1)
    with db.database(client).write() as session:
        blob = session.get(Blob, done.image_sha)
        assert blob is not None
        original, blob.content = blob.content, PNG + b"x"
    assert client.get(f"/blobs/{done.image_sha}", headers=office.headers).status_code == 409
    check = client.get(f"/admin/signatures/{done.signature.id}/check", headers=office.headers)
    assert check.json()["status"] == "altered"
    with db.database(client).write() as session:
        blob = session.get(Blob, done.image_sha)
        assert blob is not None
        blob.content = original  # put back as it was: only the log's own tampering remains
    with db.database(client).write() as session:
        first = session.scalar(sa.select(IntegrityProblem).where(IntegrityProblem.seq == 1))
        assert first is not None
        first.detail = "all is well"  # someone covering their tracks
    code, lines, _ = verify(database_url, capsys)
    assert code == EXIT_PROBLEMS
    assert lines[:-1] == ["integrity log 1: entry 1 was changed (its hash does not match its content)"]


def test_since_limits_the_check_to_what_arrived_from_that_day(
    client: TestClient,
    database_url: str,
    office: Device,
    nurse: Device,
    users: Users,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a_day(client, office, nurse, users, visits=1)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    with db.database(client).write() as session:  # everything arrived a week ago
        week_ago = datetime.now(UTC) - timedelta(days=7)
        session.execute(sa.update(Record).values(updated_at=week_ago))
        session.execute(sa.update(Blob).values(created_at=week_ago))
        session.execute(sa.update(DeviceAuditEvent).values(received_at=week_ago))
    today = datetime.now(UTC).date().isoformat()
    code, lines, _ = verify(database_url, capsys, "--since", today)
    assert code == 0 and "checked 0 files, 0 signatures, 0 day reports, 0 audit entries" in lines[-1]
    code, lines, err = verify(database_url, capsys, "--since", tomorrow.isoformat())
    assert code == 2 and "is in the future" in err and lines == []


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "26/11/2026", "2026-11-26T10:00", ""])
def test_a_since_that_is_not_a_date_is_a_usage_error(
    database_url: str, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = verify(database_url, capsys, "--since", bad)
    assert code == 2 and lines == []
    assert err.startswith("fieldapp: --since takes a date such as") and err.count("\n") == 1


def _report_pdf(client: TestClient) -> str:
    with db.database(client).read() as session:
        row = session.scalar(sa.select(Record).where(Record.entity == "day_report"))
        assert row is not None
        return str(row.fields["pdf_sha256"])
