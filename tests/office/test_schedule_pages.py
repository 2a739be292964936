"""The office's scheduling pages without script, on SQLite and PostgreSQL: create, warnings before saving,
the caseload prompt, move, cancel, series from a day on, the week view and the board's flags."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from fieldapp.server.models import Record, ScheduleSeries
from tests.office.conftest import Browser, form_fields
from tests.server import helpers as h
from tests.server.conftest import Clock, Users
from tests.server.helpers import Device
from tests.server.scenario import rows

ZONE = ZoneInfo("America/New_York")


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory(agency_timezone=ZONE.key)


@pytest.fixture
def park(office: Device, users: Users, client: TestClient) -> h.Patient:
    """A patient on the nurse's caseload."""
    patient = h.patient(mrn="MRN-PARK", given_name="Walter", family_name="Park")
    office.push_ok(office.create(patient))
    assert client.put(f"/caseloads/{users.nurse}/{patient.id}", headers=office.headers).status_code == 204
    return patient


def day(clock: Clock, offset: int = 1) -> date:
    return clock.now.astimezone(ZONE).date() + timedelta(days=offset)


def visit_form(users: Users, park: h.Patient, clock: Clock, **changes: str) -> dict[str, str]:
    form = {
        "visit_id": str(uuid.uuid4()),
        "worker_id": str(users.nurse),
        "patient_id": str(park.id),
        "day": day(clock).isoformat(),
        "start": "09:00",
        "end": "10:00",
        "service_code": "G0299",
        "worker_notes": "Ring twice",
    }
    return form | changes


def visits(client: TestClient) -> list[dict[str, object]]:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return [dict(row.fields) for row in session.query(Record).filter(Record.entity == "visit")]


def test_the_new_visit_form_lists_patients_workers_and_services_with_descriptions(
    signed_in: Browser, park: h.Patient
) -> None:
    page = signed_in.get("/office/schedule/visits/new")
    assert page.status_code == 200
    assert "Park, Walter (MRN-PARK)" in page.text and ">nurse<" in page.text
    assert "T1019 Personal care (per 15 min)" in page.text and 'type="time"' in page.text


def test_a_visit_is_created_and_the_week_shows_it(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    form = visit_form(users, park, clock)
    saved = signed_in.post("/office/schedule/visits/new", form)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith("/office/schedule/week?worker=")
    (stored,) = visits(client)
    assert stored["worker_notes"] == "Ring twice" and stored["status"] == "scheduled"
    replay = signed_in.post("/office/schedule/visits/new", form)  # the same form sent twice
    assert (
        replay.status_code == 303
        and "ok=unchanged" in replay.headers["location"]
        and len(visits(client)) == 1
    )
    week = signed_in.get(saved.headers["location"])
    assert "09:00–10:00</strong> Park, Walter" in week.text and "G0299 Skilled nursing by an RN" in week.text


def test_a_double_booking_is_shown_before_saving_and_saved_only_when_confirmed(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    signed_in.post("/office/schedule/visits/new", visit_form(users, park, clock))
    overlapping = visit_form(users, park, clock, start="09:30", end="10:30")
    first = signed_in.post("/office/schedule/visits/new", overlapping)
    assert first.status_code == 200 and "Check before saving" in first.text
    assert "09:30 Park, Walter overlaps 09:00 Park, Walter for the same worker" in first.text
    assert 'name="confirm" value="1"' in first.text and len(visits(client)) == 1
    confirmed = signed_in.post("/office/schedule/visits/new", overlapping | {"confirm": "1"})
    assert confirmed.status_code == 303 and len(visits(client)) == 2


def test_a_patient_off_the_caseload_is_added_only_after_the_prompt(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    form = visit_form(users, park, clock, worker_id=str(users.aide))
    prompt = signed_in.post("/office/schedule/visits/new", form)
    assert prompt.status_code == 200 and "not on this worker&#39;s caseload" in prompt.text
    assert "Add to the caseload and save" in prompt.text and not visits(client)
    added = signed_in.post("/office/schedule/visits/new", form | {"confirm": "1", "join": "1"})
    assert added.status_code == 303 and len(visits(client)) == 1
    worker = signed_in.get(f"/office/workers/{users.aide}")
    assert "Park, Walter" in worker.text


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"end": "08:00"}, "the visit must end after it starts"),
        ({"day": "tomorrow"}, "a date such as 2026-12-01"),
        ({"start": ""}, "give a time"),
        ({"worker_id": ""}, "choose a worker"),
        ({"service_code": ""}, "choose a service"),
        ({"day": "2027-03-14", "start": "02:30", "end": "04:00"}, "does not exist on 2027-03-14"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(
    signed_in: Browser,
    client: TestClient,
    users: Users,
    park: h.Patient,
    clock: Clock,
    changes: dict[str, str],
    words: str,
) -> None:
    answer = signed_in.post("/office/schedule/visits/new", visit_form(users, park, clock, **changes))
    assert answer.status_code == 422 and words in answer.text and not visits(client)


def test_moving_reassigning_and_cancelling_a_visit(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock, nurse: Device
) -> None:
    form = visit_form(users, park, clock)
    signed_in.post("/office/schedule/visits/new", form)
    path = f"/office/schedule/visits/{form['visit_id']}"
    edit = signed_in.get(path)
    assert edit.status_code == 200 and 'value="09:00"' in edit.text
    moved = signed_in.post(path, form | {"start": "15:30", "end": "16:30"})
    assert moved.status_code == 303
    nurse.pull_all()
    assert "T20:30:00" in nurse.values(uuid.UUID(form["visit_id"]))["scheduled_start"]
    refused = signed_in.post(f"{path}/cancel", {"reason": ""})
    assert refused.status_code == 422 and "say why the visit is cancelled" in refused.text
    cancelled = signed_in.post(f"{path}/cancel", {"reason": "Client in hospital"})
    assert cancelled.status_code == 303
    page = signed_in.get(cancelled.headers["location"])
    assert "Cancelled: Client in hospital" in page.text and "Schedule it again" in page.text
    nurse.pull_all()
    assert nurse.values(uuid.UUID(form["visit_id"]))["status"] == "cancelled"


def series_form(users: Users, park: h.Patient, clock: Clock, **changes: str) -> dict[str, str]:
    monday = day(clock) + timedelta(days=7 - day(clock).weekday())
    form = {
        "series_id": str(uuid.uuid4()),
        "worker_id": str(users.nurse),
        "patient_id": str(park.id),
        "start_date": monday.isoformat(),
        "end_date": (monday + timedelta(days=13)).isoformat(),
        "start": "09:00",
        "end": "11:00",
        "service_code": "T1019",
        "day_0": "1",
        "day_2": "1",
        "day_4": "1",
    }
    return form | changes


def test_a_series_schedules_its_visits_and_changes_from_a_day_on(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    form = series_form(users, park, clock)
    saved = signed_in.post("/office/schedule/series/new", form)
    assert saved.status_code == 303, saved.text
    assert len(visits(client)) == 6
    page = signed_in.get(saved.headers["location"])
    assert "Mon/Wed/Fri 09:00-11:00" in page.text
    second_week = (date.fromisoformat(form["start_date"]) + timedelta(days=7)).isoformat()
    action = re.search(r'action="(/office/schedule/series/[^"]+/edit)"', page.text)
    assert action is not None
    edited = signed_in.post(
        action.group(1), form | {"from_day": second_week, "start": "13:00", "end": "14:00"}
    )
    assert edited.status_code == 303, edited.text
    starts = sorted(str(v["scheduled_start"]) for v in visits(client))
    assert len(starts) == 6 and sum("T18:00:00" in s for s in starts) == 3
    assert rows(client, ScheduleSeries) == 2
    cancel = signed_in.post(
        action.group(1).replace("/edit", "/cancel"), {"cancel_from": second_week, "reason": "Moved away"}
    )
    assert cancel.status_code == 303
    assert sum(v["status"] == "cancelled" for v in visits(client)) == 3


def test_a_series_without_days_is_refused(
    signed_in: Browser, users: Users, park: h.Patient, clock: Clock
) -> None:
    form = {k: v for k, v in series_form(users, park, clock).items() if not k.startswith("day_")}
    answer = signed_in.post("/office/schedule/series/new", form)
    assert answer.status_code == 422 and "tick at least one day of the week" in answer.text


def test_one_occurrence_changed_or_cancelled_on_its_own_survives_series_edits(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    form = series_form(users, park, clock)
    series_page = signed_in.post("/office/schedule/series/new", form).headers["location"]
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        ids = {
            str(r.fields["scheduled_start"])[:10]: r.id
            for r in session.query(Record).filter(Record.entity == "visit")
        }
    monday, wednesday = sorted(ids)[:2]
    moved = visit_form(users, park, clock, visit_id=str(ids[monday]), day=monday, start="07:00", end="08:00")
    moved["service_code"] = "T1019"
    assert (
        signed_in.post(f"/office/schedule/visits/{ids[monday]}", moved | {"confirm": "1"}).status_code == 303
    )
    assert (
        signed_in.post(
            f"/office/schedule/visits/{ids[wednesday]}/cancel", {"reason": "Doctor visit"}
        ).status_code
        == 303
    )
    edit = series_page.replace("?ok=series", "") + "/edit"
    changed = signed_in.post(edit, form | {"from_day": form["start_date"], "start": "13:00", "end": "14:00"})
    assert changed.status_code == 303, changed.text
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        stored = {r.id: r.fields for r in session.query(Record).filter(Record.entity == "visit")}
    assert "T12:00:00" in stored[ids[monday]]["scheduled_start"]  # 07:00 EST, as moved on its own
    assert (
        stored[ids[wednesday]]["status"] == "cancelled"
        and stored[ids[wednesday]]["cancel_reason"] == "Doctor visit"
    )
    others = [f for vid, f in stored.items() if vid not in (ids[monday], ids[wednesday])]
    assert len(others) == 4 and all("T18:00:00" in f["scheduled_start"] for f in others)


def test_the_board_flags_late_and_open_visits_and_workers_whose_tablet_has_not_synced(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock, office: Device
) -> None:
    local_now = clock.now.astimezone(ZONE)
    if local_now.hour < 3:  # the visits below must fall on today's date in the agency's zone
        clock.advance(hours=3)
        local_now = clock.now.astimezone(ZONE)
    late = h.visit(park.id, users.nurse, (local_now - timedelta(minutes=40)).replace(second=0, microsecond=0))
    begun_at = local_now - timedelta(hours=3)
    begun = h.visit(park.id, users.nurse, begun_at.replace(second=0, microsecond=0)).revise(
        status="in_progress", check_in={"device_time": begun_at, "server_time": begun_at}
    )
    office.push_ok(office.create(late), office.create(begun))
    board = signed_in.get("/office/visits")
    assert board.status_code == 200
    assert "late 40 min" in board.text and "no check-out" in board.text
    assert "1 late</strong>" in board.text and "1 still open</strong>" in board.text
    assert re.search(r"Tablet not synced today</strong>, with visits today: <a [^>]+>nurse</a>", board.text)
    nurse = Device.sign_in(client, "nurse", "correct horse battery", "tablet9")
    nurse.pull_all()
    now = clock.now.isoformat()
    checked_in = {"check_in": {"device_time": now, "server_time": now}, "status": "in_progress"}
    nurse.push_ok(nurse.update("visit", late.id, checked_in))  # a push is recorded at once
    after = signed_in.get("/office/visits").text
    assert "Tablet not synced today" not in after and "late 40 min" not in after


def test_the_board_pages_through_many_workers(
    signed_in: Browser, client: TestClient, users: Users, clock: Clock
) -> None:
    from fieldapp.server.auth import sessions as auth
    from fieldapp.sync.protocol import Role

    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        for n in range(30):
            auth.create_user(session, f"worker{n:02d}", "correct horse battery", Role.WORKER, clock.now)
    from fieldapp.server.visits.queries import BOARD_WORKERS

    names = sorted(["aide", "nurse", *(f"worker{n:02d}" for n in range(30))])  # the field workers
    first, second = signed_in.get("/office/visits").text, signed_in.get("/office/visits?page=2").text
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert all(f'">{name}</a>' in first for name in names[:BOARD_WORKERS])
    assert not any(f'">{name}</a>' in first for name in names[BOARD_WORKERS:])
    assert all(f'">{name}</a>' in second for name in names[BOARD_WORKERS:])


def test_working_hours_are_set_on_their_page_and_warned_about(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock
) -> None:
    path = f"/office/schedule/hours/{users.nurse}"
    assert signed_in.get(path).status_code == 200
    hours = {f"start_{n}": "08:00" for n in range(5)} | {f"end_{n}": "16:00" for n in range(5)}
    bad = signed_in.post(path, hours | {"end_2": "07:00", "max_hours": "lots"})
    assert (
        bad.status_code == 422
        and "the hours end after they start" in bad.text
        and "between 0 and 168" in bad.text
    )
    saved = signed_in.post(path, hours | {"max_hours": "37.5"})
    assert saved.status_code == 303
    page = signed_in.get(path)
    assert 'value="08:00"' in page.text and 'value="37.5"' in page.text
    saturday = day(clock) + timedelta(days=(5 - day(clock).weekday()) % 7)
    form = visit_form(users, park, clock, day=saturday.isoformat())
    warned = signed_in.post("/office/schedule/visits/new", form)
    assert "outside the worker&#39;s hours (not working that day)" in warned.text
    assert signed_in.get(f"/office/schedule/hours/{users.office}").status_code == 404


def _status(client: TestClient, visit_id: str) -> object:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, uuid.UUID(visit_id))
        assert row is not None
        return row.fields["status"]


def _restore_form(page: str, path: str) -> dict[str, str]:
    """What the restore form of a visit page sends (its token aside)."""
    start = page.index(f'<form class="toolbar" method="post" action="{path}/restore"')
    fields = form_fields(page[start : page.index("</form>", start)])
    return {name: value for name, value in fields.items() if name != "csrf"}


def test_restoring_a_cancelled_visit_warns_first_and_the_page_after_names_the_warnings(
    signed_in: Browser, client: TestClient, users: Users, park: h.Patient, clock: Clock, nurse: Device
) -> None:
    """Issue 17: the slot of a cancelled visit was taken meanwhile; scheduling it again shows the double
    booking before anything changes (as saving does), and the page after the confirmed restore still shows
    it. A restore with nothing to warn about restores at once."""
    form = visit_form(users, park, clock)
    path = f"/office/schedule/visits/{form['visit_id']}"
    assert signed_in.post("/office/schedule/visits/new", form).status_code == 303
    assert signed_in.post(f"{path}/cancel", {"reason": "Client in hospital"}).status_code == 303
    taken = visit_form(users, park, clock, start="09:30", end="10:30")
    assert signed_in.post("/office/schedule/visits/new", taken).status_code == 303
    page = signed_in.get(path).text
    assert _restore_form(page, path) == {}

    asked = signed_in.post(f"{path}/restore", {})
    assert asked.status_code == 200 and "Check before scheduling it again:" in asked.text
    assert "09:00 Park, Walter overlaps 09:30 Park, Walter for the same worker" in asked.text
    assert "Schedule it again anyway" in asked.text
    assert _status(client, form["visit_id"]) == "cancelled", "nothing changed"

    confirmed = signed_in.post(f"{path}/restore", _restore_form(asked.text, path))
    assert confirmed.status_code == 200 and "The visit is scheduled again." in confirmed.text
    assert "Scheduled again; this slot now brings:" in confirmed.text
    assert "09:00 Park, Walter overlaps 09:30 Park, Walter for the same worker" in confirmed.text
    assert _status(client, form["visit_id"]) == "scheduled"
    nurse.pull_all()
    assert nurse.values(uuid.UUID(form["visit_id"]))["status"] == "scheduled"
    again = signed_in.post(f"{path}/restore", {"confirm": "1"})  # the page sent twice
    assert again.status_code == 303 and again.headers["location"] == f"{path}?ok=unchanged"

    quiet = visit_form(users, park, clock, start="14:00", end="15:00")
    quiet_path = f"/office/schedule/visits/{quiet['visit_id']}"
    signed_in.post("/office/schedule/visits/new", quiet)
    signed_in.post(f"{quiet_path}/cancel", {"reason": "Rain"})
    restored = signed_in.post(f"{quiet_path}/restore", {})
    assert restored.status_code == 303 and restored.headers["location"] == f"{quiet_path}?ok=restored"
    assert "The visit is scheduled again." in signed_in.get(restored.headers["location"]).text
