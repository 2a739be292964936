"""``fieldapp admin import-schedule`` on SQLite and PostgreSQL: exit codes, every bad row, replays."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fieldapp.cli import main
from fieldapp.domain.schedule import visit_id_for
from fieldapp.server.models import Record
from tests.server import helpers as h
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.scenario import change_counter, rows

HEADER = "external_id,worker,patient_mrn,date,start,end,service_code"


@pytest.fixture
def client(app_factory: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("FIELDAPP_AGENCY_TZ", "America/New_York")
    return app_factory(agency_timezone="America/New_York")


@pytest.fixture
def patient(office: Device) -> h.Patient:
    found = h.patient(mrn="MRN-1")
    office.push_ok(office.create(found))
    return found


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "schedule.csv"
    path.write_text("\n".join((HEADER, *lines)) + "\n", encoding="utf-8")
    return path


def run(database_url: str, *args: str) -> int:
    return main(["admin", "--database", database_url, "import-schedule", *args])


def test_import_then_replay_then_dry_run(
    client: TestClient,
    database_url: str,
    users: Users,
    patient: h.Patient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(
        tmp_path,
        "V-1,nurse,MRN-1,2027-01-05,09:00,10:00,T1019",
        "V-2,aide,MRN-1,2027-01-05,09:00,10:00,T1019",
    )
    assert run(database_url, str(path), "--dry-run") == 0
    assert "2 rows would apply (dry run): 2 new" in capsys.readouterr().out
    assert rows(client, Record, Record.entity == "visit") == 0
    assert run(database_url, str(path)) == 0
    assert (
        "2 rows applied: 2 new, 0 changed (0 cancelled), 0 unchanged; 2 patients joined a caseload"
        in capsys.readouterr().out
    )
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, visit_id_for("V-1"))
        assert row is not None and "T14:00:00" in row.fields["scheduled_start"]
    position = change_counter(client)
    assert run(database_url, str(path), "--as", "office") == 0
    assert "0 new, 0 changed (0 cancelled), 2 unchanged" in capsys.readouterr().out
    assert change_counter(client) == position


def test_a_bad_file_exits_1_naming_every_bad_row_and_applies_nothing(
    client: TestClient,
    database_url: str,
    users: Users,
    patient: h.Patient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(
        tmp_path,
        "V-1,nurse,MRN-1,2027-01-05,09:00,10:00,T1019",
        "V-2,zoe,MRN-2,2027-01-05,10:00,11:00,T1019",
        "V-3,nurse,MRN-1,2027-01-06,10:00,09:00,T1019",
    )
    assert run(database_url, str(path)) == 1
    err = capsys.readouterr().err
    assert f"{path}: line 3: unknown worker 'zoe' (a fieldapp user name)" in err
    assert (
        f"{path}: line 3: unknown patient MRN 'MRN-2'" in err
        and "line 4: end 09:00 is not after start 10:00" in err
    )
    assert "refused" in err and rows(client, Record, Record.entity == "visit") == 0


def test_a_missing_file_and_an_unknown_user_are_named(
    client: TestClient, database_url: str, users: Users, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(database_url, str(tmp_path / "nope.csv")) == 10
    assert "nope.csv" in capsys.readouterr().err
    assert run(database_url, str(write(tmp_path)), "--as", "nurse") == 1
    assert "no active office user 'nurse'" in capsys.readouterr().err
