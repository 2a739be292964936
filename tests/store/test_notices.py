"""Schedule notices: a pull that brings the office's change to a visit leaves a notice for the worker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.readmodels.notices import NoticeKind
from fieldapp.store import conflicts, notices, replica, repo, workflows
from fieldapp.store.local import LocalStore
from tests import factories as f

ZONE = ZoneInfo("America/New_York")
ME, OTHER = f.WORKER, uuid.UUID("00000000-0000-4000-8000-00000000a002")


def _today_at(hour: int, minute: int = 0) -> datetime:
    now = datetime.now(ZONE)
    return (
        (now + timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(UTC)
    )


class Office:
    """The office's side of the feed: full records stamped by an office clock, as the server sends them."""

    def __init__(self, store: LocalStore) -> None:
        self.clock = HybridClock("web" + "1" * 29, physical_ms=lambda: store.clock.physical() + 5)
        self.seq = 0

    def send(
        self, store: LocalStore, record: Patient | Visit, *, watch: bool = True, **changes: object
    ) -> Visit | Patient:
        stamp = self.clock.now()
        if changes:  # what the server holds: the tablet's state, with the office's changed fields
            record = record.revise(**changes)
            wire = record.model_dump(mode="json")
            with store.read() as s:
                held = replica.record_state(s.get_one(replica.ROW_TYPES[record.entity_name], record.id))
            fields = dict(held.fields) | {
                name: Versioned(wire[name], stamp, held.fields[name].stamp) for name in changes
            }
        else:
            wire = record.model_dump(mode="json")
            fields = {name: Versioned(value, stamp) for name, value in wire.items() if name != "id"}
        self.seq += 1
        remote = replica.RemoteRecord(record.entity_name, record.id, RecordState(fields), self.seq)
        with store.unit_of_work() as s:
            applied = replica.apply_remote(s, store.clock, [remote], watch_visits=watch)
            notices.record(s, applied.visits, datetime.now(UTC))
        return record


@pytest.fixture
def office(store: LocalStore) -> Office:
    return Office(store)


def shown(store: LocalStore, me: uuid.UUID = ME) -> list[str]:
    with store.read() as s:
        return [n.text for n in notices.unseen(s, me, ZONE)]


def test_a_new_visit_the_office_scheduled_is_announced(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient(family_name="Park", given_name="Walter"))
    office.send(
        store,
        f.visit(
            p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15), worker_notes="Gate code 4711"
        ),
    )
    [text] = shown(store)
    assert text.startswith("New visit: ") and "14:00 Park, Walter" in text and "Gate code 4711" in text
    assert shown(store, OTHER) == [], "another worker's tablet holding the patient hears nothing"


def test_the_first_pull_brings_the_caseload_without_notices(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient(), watch=False)
    office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)), watch=False)
    assert shown(store) == []


def test_a_moved_visit_says_from_when_to_when(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient(family_name="Park", given_name="Walter"))
    v = office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)))
    with store.unit_of_work() as s:
        notices.mark_seen(s, [n.id for n in notices.unseen(s, ME, ZONE)], datetime.now(UTC))
    office.send(store, v, scheduled_start=_today_at(15, 30), scheduled_end=_today_at(16, 30))
    [text] = shown(store)
    assert text.endswith("Park, Walter moved to 15:30–16:30") and " 14:00 " in f" {text}"


def test_a_cancel_names_the_reason_and_stays_until_seen(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient(family_name="Park", given_name="Walter"))
    v = office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)))
    office.send(store, v, status="cancelled", cancel_reason="Client in hospital")
    texts = shown(store)
    assert any("14:00 Park, Walter cancelled by the office: Client in hospital" in t for t in texts)
    with store.unit_of_work() as s:
        marked = notices.mark_seen(s, [n.id for n in notices.unseen(s, ME, ZONE)], datetime.now(UTC))
    assert marked == 2 and shown(store) == []
    with store.unit_of_work() as s:
        assert notices.mark_seen(s, [1, 2], datetime.now(UTC)) == 0, "seen once is seen"


def test_reassignment_away_and_to_me(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient(family_name="Park", given_name="Walter"))
    v = office.send(
        store, f.visit(p.id, worker_id=OTHER, scheduled_start=_today_at(9), scheduled_end=_today_at(10))
    )
    assert shown(store) == [], "someone else's visit is not news to me"
    v = office.send(store, v, worker_id=ME)
    assert any(t.startswith("New visit: ") and "09:00 Park, Walter" in t for t in shown(store))
    office.send(store, v, worker_id=OTHER)
    assert any(t.endswith("09:00 Park, Walter is now another worker's visit") for t in shown(store))


def test_an_office_cancel_of_a_started_visit_keeps_the_visit_and_is_logged_as_a_conflict(
    store: LocalStore, office: Office
) -> None:
    p = office.send(store, f.patient(family_name="Park", given_name="Walter"))
    v = office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)))
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, None)
    office.send(store, v, status="cancelled", cancel_reason="Client in hospital")
    with store.read() as s:
        visit = repo.get(s, Visit, v.id)
        [conflict] = conflicts.open_conflicts(s)
    assert visit is not None and visit.status.value == "in_progress" and visit.check_in is not None
    assert visit.cancel_reason == "Client in hospital"
    assert (conflict.field, conflict.lost_value, conflict.winner_value) == (
        "status",
        "cancelled",
        "in_progress",
    )
    assert any(
        "the office cancelled it after you started: Client in hospital; your visit was kept" in t
        for t in shown(store)
    )


def test_the_server_having_kept_the_workers_status_still_tells_the_tablet(
    store: LocalStore, office: Office
) -> None:
    """Online: the server merged the cancel away; the tablet receives only the reason, and logs the loss."""
    p = office.send(store, f.patient())
    v = office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)))
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, None)
    with store.read() as s:
        row_state = replica.record_state(s.get_one(replica.ROW_TYPES["visit"], v.id))
    stamp = office.clock.now()
    base = row_state.fields["cancel_reason"].stamp
    fields = dict(row_state.fields) | {"cancel_reason": Versioned("Client in hospital", stamp, base)}
    with store.unit_of_work() as s:
        applied = replica.apply_remote(
            s, store.clock, [replica.RemoteRecord("visit", v.id, RecordState(fields), 99)], watch_visits=True
        )
        notices.record(s, applied.visits, datetime.now(UTC))
    with store.read() as s:
        [conflict] = conflicts.open_conflicts(s)
        kinds = [n.kind for n in notices.unseen(s, ME, ZONE)]
    assert conflict.field == "status" and conflict.lost_value == "cancelled" and conflict.lost_stamp == stamp
    assert kinds == [NoticeKind.CANCEL_AFTER_START, NoticeKind.SCHEDULED]


def test_the_workers_own_changes_and_past_visits_are_no_news(store: LocalStore, office: Office) -> None:
    p = office.send(store, f.patient())
    past = _today_at(9) - timedelta(days=3)
    office.send(store, f.visit(p.id, scheduled_start=past, scheduled_end=past + timedelta(hours=1)))
    far = _today_at(9) + timedelta(days=30)
    office.send(store, f.visit(p.id, scheduled_start=far, scheduled_end=far + timedelta(hours=1)))
    assert shown(store) == []
    v = office.send(store, f.visit(p.id, scheduled_start=_today_at(14), scheduled_end=_today_at(15)))
    with store.unit_of_work() as s:
        notices.mark_seen(s, [n.id for n in notices.unseen(s, ME, ZONE)], datetime.now(UTC))
    tablet2 = HybridClock("0f3a9c2d4b5e6f70", physical_ms=lambda: store.clock.physical() + 50)
    stamp = tablet2.now()
    with store.unit_of_work() as s:
        state = replica.record_state(s.get_one(replica.ROW_TYPES["visit"], v.id))
        fields = dict(state.fields) | {"status": Versioned("missed", stamp, state.fields["status"].stamp)}
        applied = replica.apply_remote(
            s, store.clock, [replica.RemoteRecord("visit", v.id, RecordState(fields), 50)], watch_visits=True
        )
        assert notices.record(s, applied.visits, datetime.now(UTC)) == 0


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (None, {"status": "scheduled"}, NoticeKind.SCHEDULED),
        (None, {"status": "cancelled"}, None),
        ({"status": "scheduled"}, {"status": "cancelled"}, NoticeKind.CANCELLED),
        ({"status": "cancelled"}, {"status": "scheduled"}, NoticeKind.RESTORED),
        (
            {"status": "in_progress"},
            {"status": "in_progress", "cancel_reason": "x"},
            NoticeKind.CANCEL_AFTER_START,
        ),
        ({"worker_id": "a"}, {"worker_id": "b"}, NoticeKind.REASSIGNED),
        ({"scheduled_end": "later"}, {}, NoticeKind.MOVED),
        ({"worker_notes": ""}, {"worker_notes": "Ring twice"}, NoticeKind.CHANGED),
        ({"status": "scheduled"}, {"status": "in_progress"}, None),
    ],
)
def test_classify(before: dict[str, str] | None, after: dict[str, str], kind: NoticeKind | None) -> None:
    times = {"scheduled_start": _today_at(14).isoformat(), "scheduled_end": _today_at(15).isoformat()}
    full_after = {**times, **after}
    full_before = None if before is None else {**times, **before}
    if before is not None and before.get("scheduled_end") == "later":
        full_before = {**times, "scheduled_end": _today_at(16).isoformat()}
    assert notices.classify(full_before, full_after, datetime.now(UTC)) is kind


def test_the_words_of_each_kind_from_the_workers_side() -> None:
    from fieldapp.readmodels.notices import describe

    start, end = _today_at(14).isoformat(), _today_at(15).isoformat()
    mine = {"worker_id": str(ME), "scheduled_start": start, "scheduled_end": end, "service_code": "T1019"}
    name = "Park, Walter"

    def said(kind: NoticeKind, before: dict[str, str] | None, after: dict[str, str]) -> str | None:
        words = describe(kind, before, after, name, ME, UTC)
        return None if words is None else str(words)

    assert (
        said(NoticeKind.RESTORED, {**mine, "status": "cancelled"}, mine)
        == f"{_hm(start)} {name} restored by the office: it is on again"
    )
    changed = said(
        NoticeKind.CHANGED, mine, {**mine, "service_code": "G0156", "worker_notes": "Bring the hoist"}
    )
    assert changed is not None and changed.endswith(
        "service now G0156; note from the office: Bring the hoist"
    )
    removed = said(NoticeKind.CHANGED, {**mine, "worker_notes": "x"}, {**mine, "worker_notes": ""})
    assert removed is not None and removed.endswith("the office's note was removed")
    other = {**mine, "worker_id": str(OTHER)}
    assert said(NoticeKind.MOVED, other, other) is None, "another worker's visit says nothing to me"


def _hm(iso: str) -> str:
    when = datetime.fromisoformat(iso).astimezone(UTC)
    return f"{when:%H:%M}" if when.date() == datetime.now(UTC).date() else f"{when:%a %d %b %H:%M}"
