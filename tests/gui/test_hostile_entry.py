"""Hostile input at the tablet's Qt-side entry points: Actions (what every screen writes through), the visit
screen's note and vital-sign fields, the signature image and the day report's PDF, the patient search box,
file lookups, the settings screen's server address and the sign-in screen. Each is refused with a sentence
the worker sees (never an exception escaping a slot), and nothing is stored: not a row, not an outbox entry,
not a file. The store-level corpus is tests/store/test_hostile_local.py.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.app import Account, sign_in_online
from fieldapp.config import Profile
from fieldapp.domain.errors import DomainError
from fieldapp.domain.values import DaySummary, Location, LocationKind, SignerRole
from fieldapp.qt.models import PatientListModel
from fieldapp.qt.records import Records
from fieldapp.qt.signin import SignInService
from fieldapp.store import outbox
from fieldapp.store.blobs import MAX_FILE_BYTES
from fieldapp.store.models import Base
from fieldapp.ui.login import LoginScreen
from fieldapp.ui.settings import SettingsScreen
from fieldapp.ui.signature_pad import Sample, render_png
from fieldapp.ui.visit import VisitScreen
from tests.gui.day_helpers import Day, make_day
from tests.gui.shell_helpers import LANDSCAPE, Tablet, make_tablet
from tests.keyrings import MemoryKeyring

NOW = datetime.now(UTC)
SQL = "'; DROP TABLE patients; --"
TRAVERSAL = "../../../../etc/passwd"
PNG = render_png([[Sample(10 + i * 4, 40 + (i % 7) * 3, i * 8, 0.5) for i in range(40)]])
STROKES = [[{"x": 10.0, "y": 40.0, "t": 0, "pressure": 0.5}, {"x": 14.0, "y": 43.0, "t": 8, "pressure": 0.5}]]
PDF = b"%PDF-1.7\n%a day report\n%%EOF\n"
SUMMARY = DaySummary(
    visits_scheduled=3,
    visits_completed=1,
    visits_missed=1,
    visits_unsigned=0,
    visits_missing_evv=1,
    notes=1,
    observations=1,
    unsent_changes=0,
    open_conflicts=0,
)


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    first = d.visits[0].id
    d.actions.check_in(first, Location(kind=LocationKind.HOME))
    d.actions.add_note(first, "Dressing changed.")
    yield d
    d.store.close()


def snapshot(day: Day) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    with day.store.read() as s:
        rows = {
            name: sorted(repr(tuple(r)) for r in s.execute(sa.text(f'SELECT * FROM "{name}"')))
            for name in sorted(Base.metadata.tables)
        }
    folder = day.blobs.folder
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return rows, files


def refused(day: Day, action: Callable[[], Any]) -> str:
    """``action`` raises the domain's error (what the screens show) and stores and announces nothing."""
    before = snapshot(day)
    with day.store.read() as s:
        pending = outbox.pending_count(s)
    announced: list[object] = []
    day.actions.records_did_change.connect(announced.append)
    try:
        with pytest.raises(DomainError) as info:
            action()
    finally:
        day.actions.records_did_change.disconnect(announced.append)
    message = str(info.value)
    assert message and "[type=" not in message and "validation error for" not in message, message
    with day.store.read() as s:
        assert outbox.pending_count(s) == pending
    assert snapshot(day) == before and announced == []
    return message


# -- Actions ------------------------------------------------------------------------------------------------

ACTION_CORPUS: list[tuple[str, Callable[[Day], Any]]] = [
    ("patient name with NUL", lambda d: d.actions.edit_patient(d.patients[0].id, given_name="Zo\x00ë")),
    ("patient name RLO", lambda d: d.actions.edit_patient(d.patients[0].id, family_name="\u202eznuN")),
    (
        "patient name line separator",
        lambda d: d.actions.edit_patient(d.patients[0].id, family_name="A\u2028B"),
    ),
    (
        "address CR/LF",
        lambda d: d.actions.edit_patient(d.patients[0].id, address={"line1": "1\r\n2", "city": "X"}),
    ),
    ("patient id injection", lambda d: d.actions.edit_patient(SQL, phone="555-0100")),  # type: ignore[arg-type]
    ("patient id change", lambda d: d.actions.edit_patient(d.patients[0].id, id=uuid.uuid4())),
    ("unknown field", lambda d: d.actions.edit_patient(d.patients[0].id, is_admin=True)),
    ("note with NUL", lambda d: d.actions.add_note(d.visits[0].id, "dose\x00")),
    ("note override", lambda d: d.actions.add_note(d.visits[0].id, "10\u202e01 mg")),
    ("note too long", lambda d: d.actions.add_note(d.visits[0].id, "A" * 10_001)),
    ("note on a path", lambda d: d.actions.add_note(TRAVERSAL, "x")),  # type: ignore[arg-type]
    ("vital NaN", lambda d: d.actions.add_observation(d.visits[0].id, "heart_rate", math.nan, "/min")),  # type: ignore[arg-type]
    ("vital inf", lambda d: d.actions.add_observation(d.visits[0].id, "heart_rate", math.inf, "/min")),  # type: ignore[arg-type]
    ("vital True", lambda d: d.actions.add_observation(d.visits[0].id, "pain_score", True, "{score}")),  # type: ignore[arg-type]
    ("vital text", lambda d: d.actions.add_observation(d.visits[0].id, "heart_rate", "72", "/min")),  # type: ignore[arg-type]
    ("vital unit", lambda d: d.actions.add_observation(d.visits[0].id, "heart_rate", 72, "bpm")),  # type: ignore[arg-type]
    ("vital kind", lambda d: d.actions.add_observation(d.visits[0].id, SQL, 72, "/min")),  # type: ignore[arg-type]
    ("correction which", lambda d: d.actions.correct_time(d.visits[0].id, "signature_id", NOW, "other", "x")),
    (
        "correction comment",
        lambda d: d.actions.correct_time(d.visits[0].id, "check_in", NOW, "other", "a\nb"),
    ),
    (
        "correction naive",
        lambda d: d.actions.correct_time(d.visits[0].id, "check_in", datetime.now(), "other", "x"),
    ),
    (
        "check-in location",
        lambda d: d.actions.check_in(d.visits[1].id, {"kind": "gps", "latitude": math.nan}),
    ),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("name", [name for name, _ in ACTION_CORPUS])
def test_hostile_actions_are_refused_store_nothing_and_announce_nothing(day: Day, name: str) -> None:
    action = dict(ACTION_CORPUS)[name]
    refused(day, lambda: action(day))


SIGN_CORPUS: list[tuple[str, dict[str, Any]]] = [
    ("not a PNG", {"png": b"GIF89a" + PNG[6:]}),
    ("empty image", {"png": b""}),
    ("image too large", {"png": PNG + b"\x00" * MAX_FILE_BYTES}),
    ("image not bytes", {"png": "\\x89PNG"}),
    ("signer name NUL", {"signer_name": "Zo\x00ë"}),
    ("signer name bidi", {"signer_name": "\u202eZoë"}),
    ("signer name too long", {"signer_name": "Z" * 101}),
    ("signer role", {"signer_role": "neighbour"}),
    ("statement with escape", {"meaning": "I confirm\x1b[8m hidden"}),
    ("stroke NaN", {"strokes": [[{"x": math.nan, "y": 1.0, "t": 0}]]}),
    ("too many strokes", {"strokes": STROKES * 501}),
    ("strokes and a reason", {"unable_reason": "too weak"}),
]


@pytest.mark.parametrize("name", [name for name, _ in SIGN_CORPUS])
def test_a_refused_signature_leaves_no_image_file_behind(day: Day, name: str) -> None:
    values = {
        "strokes": STROKES,
        "png": PNG,
        "signer_name": "Zoë Núñez-O'Brien",
        "signer_role": SignerRole.PATIENT,
        "meaning": "I confirm the visit took place as recorded.",
        **dict(SIGN_CORPUS)[name],
    }
    refused(day, lambda: day.actions.sign(day.visits[0].id, **values))


def test_a_valid_signature_keeps_its_image(day: Day) -> None:
    day.actions.sign(
        day.visits[0].id,
        strokes=STROKES,
        png=PNG,
        signer_name="Zoë Núñez-O'Brien",
        signer_role=SignerRole.PATIENT,
        meaning="I confirm the visit took place as recorded.",
    )
    detail = day.records.visit_detail(day.visits[0].id)
    assert detail is not None and detail.signature is not None and detail.signature.image_sha256 is not None
    assert day.blobs.get(detail.signature.image_sha256) == PNG


REPORT_CORPUS: list[tuple[str, Any, Any]] = [
    ("not a PDF", SUMMARY, b"<html>" + PDF),
    ("empty PDF", SUMMARY, b""),
    ("PDF too large", SUMMARY, PDF + b"\x00" * MAX_FILE_BYTES),
    ("PDF not bytes", SUMMARY, "%PDF-1.7"),
    ("count beyond 64 bits", {**SUMMARY.model_dump(), "notes": 2**80}, PDF),  # was a crash at INSERT
    ("negative count", {**SUMMARY.model_dump(), "notes": -1}, PDF),
    ("summary of the wrong type", {"notes": "many"}, PDF),
]


@pytest.mark.parametrize("name", [name for name, _, _ in REPORT_CORPUS])
def test_a_refused_day_report_leaves_no_pdf_behind(day: Day, name: str) -> None:
    _, summary, pdf = next(case for case in REPORT_CORPUS if case[0] == name)
    refused(day, lambda: day.actions.submit_day_report(date.today(), summary, pdf))


def test_a_valid_day_report_keeps_its_pdf(day: Day) -> None:
    change = day.actions.submit_day_report(date.today(), SUMMARY, PDF)
    assert change.entity == "day_report"
    assert [p.read_bytes() for p in day.blobs.folder.rglob("*") if p.is_file()] == [PDF]


# -- the visit screen ---------------------------------------------------------------------------------------


@pytest.fixture
def screen(qtbot: QtBot, day: Day, styled_app: QApplication) -> VisitScreen:
    widget = VisitScreen(day.records, day.actions)
    qtbot.addWidget(widget)
    widget.resize(*LANDSCAPE)
    widget.show_visit(day.visits[0].id)
    widget.show()
    return widget


@pytest.mark.parametrize("text", ["dose\x00 10 mg", "10\u202e01 mg", "a\ufeffb", "A" * 10_001, "bell\x07"])
def test_a_hostile_note_is_shown_as_a_sentence_not_raised(screen: VisitScreen, day: Day, text: str) -> None:
    before = snapshot(day)
    screen.note_editor.setPlainText(text)
    assert screen.save_note() is False
    assert screen.error.isVisible() and screen.error.text()
    assert "[type=" not in screen.error.text()
    assert snapshot(day) == before


@pytest.mark.parametrize(
    "text", ["nan", "NaN", "inf", "-inf", "1e309", "72abc", "", "   ", "0x48", "7" * 400]
)
def test_a_hostile_vital_sign_is_explained_and_not_saved(screen: VisitScreen, day: Day, text: str) -> None:
    before = snapshot(day)
    screen.vital_kind.setCurrentIndex(screen.vital_kind.findData("heart_rate"))
    screen.vital_value.setText(text)
    assert screen.save_vital() is False
    assert screen.vital_error.isVisible() and screen.vital_error.text()
    assert snapshot(day) == before


# -- search and file lookups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "search",
    [
        SQL,
        "%",
        "_",
        "\\",
        "A" * 100_000,
        "zz " * 20_000,
        " ".join(f"w{i}" for i in range(2_000)),
        "\x00",
        "\ud800",
    ],
)
def test_hostile_searches_in_the_patient_list_show_no_one_and_never_fail(day: Day, search: str) -> None:
    model = PatientListModel(day.store)
    model.set_search(search)
    assert model.rowCount() == 0 and model.total == 0
    model.set_search("")
    assert model.total == len(day.patients)


@pytest.mark.parametrize("name", [TRAVERSAL, "a" * 64 + "\n", "A" * 64, "", "\x00" * 64, "..", None])
def test_hostile_file_names_find_no_file(day: Day, name: Any) -> None:
    assert Records(day.store, day.blobs).blob(name) is None


# -- the settings screen's server address --------------------------------------------------------------------


@pytest.fixture
def tablet(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Tablet]:
    t = make_tablet(tmp_path / "tablet")
    yield t
    t.device.close()


SERVER_ADDRESSES = [
    "https://nurse:secret@office.example.org",  # was saved: credentials in settings.json in the clear
    "https://office.example.org@evil.example",
    "https://office.example.org?next=x",
    "https://office.example.org#x",
    "https://office.example.org\x00",
    "https://оffice.example.org",
    "https://office.example.org:99999",
    "https://office.example.org\u202e",
    "https://" + "a" * 3_000 + ".org",
    "file:///etc/passwd",
    "https://[",
]


@pytest.mark.parametrize("address", SERVER_ADDRESSES)
def test_a_hostile_server_address_is_explained_and_not_saved(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication, address: str
) -> None:
    before = tablet.device.profile.settings_path.read_bytes()
    screen = SettingsScreen(Account(tablet.session), Records(tablet.device.store), lambda *_: True)
    qtbot.addWidget(screen)
    screen.server.setText(address)
    screen.save_server.click()
    assert screen.server_message.property("role") == "error"
    assert screen.server_message.text().endswith(".") and "\n" not in screen.server_message.text()
    assert tablet.device.profile.settings_path.read_bytes() == before


# -- the sign-in screen --------------------------------------------------------------------------------------

SIGN_INS = [
    ("https://office.example.org", SQL, "pw"),
    ("https://office.example.org", "nurse\x00", "pw"),
    ("https://office.example.org", "nur\nse", "pw"),
    ("https://office.example.org", "x" * 65, "pw"),
    ("https://office.example.org", "\u202enurse", "pw"),
    ("https://office.example.org", "../nurse", "pw"),
    ("https://office.example.org", "nurse", "p" * 257),
    ("https://nurse:pw@office.example.org", "nurse", "pw"),
    ("ftp://office.example.org", "nurse", "pw"),
    ("https://office.example.org\r\nX: y", "nurse", "pw"),
]


@pytest.mark.parametrize(
    ("server", "username", "password"), SIGN_INS, ids=[str(i) for i in range(len(SIGN_INS))]
)
def test_a_hostile_sign_in_is_refused_at_once_and_creates_no_profile(
    qtbot: QtBot,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    styled_app: QApplication,
    server: str,
    username: str,
    password: str,
) -> None:
    profile = Profile.at(tmp_path / "profile")
    service = SignInService(online=lambda s, u, p: sign_in_online(profile, s, u, p), offline=lambda *a: None)
    login = LoginScreen(service)
    qtbot.addWidget(login)
    login.show()
    login.server.setText(server)
    login.username.setText(username)
    login.password.setText(password)
    login.submit()
    assert not service.busy, "nothing started in the background"
    assert login.error.isVisible() and login.error.text().endswith(".")
    assert not profile.folder.exists(), "no profile folder, database or key created"
    assert memory_keyring.secrets == {}


def test_the_corpus_size() -> None:
    figures = {
        "actions": len(ACTION_CORPUS),
        "signatures": len(SIGN_CORPUS),
        "day reports": len(REPORT_CORPUS),
        "visit screen": 5 + 10,
        "patient search": 9,
        "file names": 7,
        "settings screen": len(SERVER_ADDRESSES),
        "sign-in screen": len(SIGN_INS),
    }
    assert sum(figures.values()) >= 90, figures
