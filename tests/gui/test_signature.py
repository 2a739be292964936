"""The signature pad: pen (with pressure, never drawn twice), finger, mouse; undo and clear; unable to sign;
the PNG rendered and saved with the vector strokes; the visit locked afterwards."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.domain.entities import Signature, Visit
from fieldapp.domain.errors import ImmutableError
from fieldapp.domain.values import Location, LocationKind, SignerRole
from fieldapp.store import repo
from fieldapp.ui.signature_pad import Sample, SignatureCanvas, SignaturePad, UnableToSignDialog, render_png
from tests.gui.day_helpers import Day, a_signature, make_day, pen, pen_stroke, send_pen
from tests.gui.shell_helpers import layout_problems, styled_app  # noqa: F401 - a fixture


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    first = d.visits[0].id
    d.actions.check_in(first, Location(kind=LocationKind.HOME))
    d.actions.add_note(first, "Dressing changed; wound edges clean.")
    d.actions.add_observation(first, "heart_rate", 76, "/min")
    d.actions.check_out(first)
    yield d
    d.store.close()


@pytest.fixture
def canvas(qtbot: QtBot) -> SignatureCanvas:
    widget = SignatureCanvas()
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_pad(qtbot: QtBot, day: Day) -> SignaturePad:
    pad = SignaturePad(
        day.actions,
        day.visits[0].id,
        meaning="I confirm the visit took place as recorded.",
        signer_name="Zoë Núñez-O'Brien",
    )
    qtbot.addWidget(pad)
    pad.resize(1000, 700)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_pen_strokes_are_captured_once_with_every_sample_and_its_pressure(canvas: SignatureCanvas) -> None:
    points = [(50 + i * 10, 100 + (i % 4) * 5, 0.1 + i * 0.04) for i in range(20)]

    events = []
    (x0, y0, p0), *middle, (xn, yn, pn) = points
    events.append(send_pen(canvas, "press", x0, y0, p0))
    events += [send_pen(canvas, "move", x, y, p) for x, y, p in middle]
    events.append(send_pen(canvas, "release", xn, yn, pn))

    # The pad accepts every tablet event, so Qt synthesises no mouse events from them...
    assert all(e.isAccepted() for e in events)
    # ...and each sample is in the stroke exactly once: no doubled stroke, no doubled point.
    assert len(canvas.strokes) == 1
    stroke = canvas.strokes[0]
    assert [(s.x, s.y) for s in stroke] == [(x, y) for x, y, _ in points]
    assert [s.pressure for s in stroke] == pytest.approx([p for _, _, p in points])
    assert canvas.samples_by_source == {"pen": 20, "touch": 0, "mouse": 0}
    ts = [s.t for s in stroke]
    assert ts[0] == 0 and ts == sorted(ts)


def test_mouse_events_that_come_from_the_pen_are_not_drawn_again(canvas: SignatureCanvas) -> None:
    pen_stroke(canvas, [(10, 10, 0.5), (60, 40, 0.7), (120, 60, 0.4)])
    # A platform that delivers the pen's movement again as mouse events (synthesised, from the pen):
    for kind, pos, button, buttons in (
        (QEvent.Type.MouseButtonPress, QPointF(10, 10), Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseMove, QPointF(60, 40), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton),
        (
            QEvent.Type.MouseButtonRelease,
            QPointF(120, 60),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.NoButton,
        ),
    ):
        event = QMouseEvent(
            kind,
            pos,
            pos,
            QPointF(canvas.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseEventSource.MouseEventSynthesizedBySystem,
            pen(),
        )
        QApplication.sendEvent(canvas, event)

    assert len(canvas.strokes) == 1
    assert canvas.point_count == 3
    assert canvas.samples_by_source["mouse"] == 0


def test_mouse_drag_draws_a_stroke_with_the_default_pressure(qtbot: QtBot, canvas: SignatureCanvas) -> None:
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20))
    for x in range(30, 200, 20):
        QTest.mouseMove(canvas, QPoint(x, 20 + x // 4))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(210, 70))

    assert len(canvas.strokes) == 1
    stroke = canvas.strokes[0]
    assert len(stroke) >= 5
    assert {s.pressure for s in stroke} == {0.5}
    assert (stroke[0].x, stroke[0].y) == (20, 20)
    assert (stroke[-1].x, stroke[-1].y) == (210, 70)


def test_finger_strokes_arrive_as_touch_events(qtbot: QtBot, canvas: SignatureCanvas) -> None:
    screen = QTest.createTouchDevice()
    QTest.touchEvent(canvas, screen).press(0, QPoint(40, 40), canvas).commit()
    QTest.touchEvent(canvas, screen).move(0, QPoint(80, 60), canvas).commit()
    QTest.touchEvent(canvas, screen).move(0, QPoint(120, 90), canvas).commit()
    QTest.touchEvent(canvas, screen).release(0, QPoint(150, 100), canvas).commit()

    assert len(canvas.strokes) == 1
    assert [(s.x, s.y) for s in canvas.strokes[0]] == [(40, 40), (80, 60), (120, 90), (150, 100)]
    assert canvas.samples_by_source["touch"] == 4
    assert canvas.samples_by_source["mouse"] == 0  # accepted touch: no synthesised mouse stroke


def test_undo_removes_the_last_stroke_and_clear_removes_all(qtbot: QtBot, day: Day) -> None:
    pad = open_pad(qtbot, day)
    assert not pad.sign_button.isEnabled() and not pad.undo_button.isEnabled()
    drawn = a_signature(pad.canvas)
    assert len(pad.canvas.strokes) == len(drawn) == 2
    assert pad.sign_button.isEnabled()

    qtbot.mouseClick(pad.undo_button, Qt.MouseButton.LeftButton)
    assert len(pad.canvas.strokes) == 1
    assert [(s.x, s.y) for s in pad.canvas.strokes[0]] == [(x, y) for x, y, _ in drawn[0]]

    a_signature(pad.canvas)
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.canvas.is_empty
    assert not pad.sign_button.isEnabled()


def test_signing_saves_strokes_png_signer_and_meaning_and_locks_the_visit(qtbot: QtBot, day: Day) -> None:
    pad = open_pad(qtbot, day)
    qtbot.keyClicks(pad.name, "")  # the patient's name is filled in
    pad.role.setCurrentIndex(pad.role.findData(SignerRole.PATIENT.value))
    drawn = a_signature(pad.canvas)

    with qtbot.waitSignal(pad.signed, timeout=2000):
        qtbot.mouseClick(pad.sign_button, Qt.MouseButton.LeftButton)

    visit_id = day.visits[0].id
    with day.store.read() as session:
        visit = repo.get(session, Visit, visit_id)
        assert visit is not None and visit.is_signed
        signature = repo.get(session, Signature, visit.signature_id)  # type: ignore[arg-type]
    assert signature is not None
    assert signature.signer_name == "Zoë Núñez-O'Brien"
    assert signature.signer_role is SignerRole.PATIENT
    assert signature.meaning == "I confirm the visit took place as recorded."
    assert [len(s) for s in signature.strokes] == [len(s) for s in drawn]
    assert [p.pressure for p in signature.strokes[0]] == pytest.approx([round(p, 4) for _, _, p in drawn[0]])
    # The PNG is in the file store under the hash the signature names, and shows ink on white.
    png = day.blobs.get(signature.image_sha256)  # type: ignore[arg-type]
    assert hashlib.sha256(png).hexdigest() == signature.image_sha256
    image = QImage.fromData(png, "PNG")
    assert not image.isNull() and image.width() > 100
    dark = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 20
    # Locked: the attested times can no longer change.
    with pytest.raises(ImmutableError):
        day.actions.correct_time(visit_id, "check_in", visit.scheduled_start, "forgot_check_in")  # type: ignore[arg-type]


def test_unable_to_sign_records_the_reason_instead_of_strokes(qtbot: QtBot, day: Day) -> None:
    pad = open_pad(qtbot, day)
    qtbot.mouseClick(pad.unable_button, Qt.MouseButton.LeftButton)
    dialog = pad.findChild(UnableToSignDialog)
    assert dialog is not None
    dialog.reason.setCurrentIndex(1)  # "Patient declined to sign"
    qtbot.keyClicks(dialog.details, "says she will sign next visit")
    with qtbot.waitSignal(pad.signed, timeout=2000):
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)

    with day.store.read() as session:
        visit = repo.get(session, Visit, day.visits[0].id)
        assert visit is not None and visit.is_signed
        signature = repo.get(session, Signature, visit.signature_id)  # type: ignore[arg-type]
    assert signature is not None
    assert signature.strokes == () and signature.image_sha256 is None
    assert signature.unable_reason == "Patient declined to sign: says she will sign next visit"


def test_other_reason_needs_words(qtbot: QtBot, day: Day) -> None:
    pad = open_pad(qtbot, day)
    qtbot.mouseClick(pad.unable_button, Qt.MouseButton.LeftButton)
    dialog = pad.findChild(UnableToSignDialog)
    dialog.reason.setCurrentIndex(dialog.reason.count() - 1)  # Other
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "reason" in dialog.error.text().lower()


def test_a_refused_signature_is_explained_and_nothing_is_saved(qtbot: QtBot, day: Day) -> None:
    pad = open_pad(qtbot, day)
    a_signature(pad.canvas)
    day.actions.add_note(day.visits[0].id, "Written on another screen while the pad was open.")
    # The content still matches (the digest is taken at signing), so instead sign a visit twice:
    assert pad.sign()
    again = open_pad(qtbot, day)
    a_signature(again.canvas)
    assert not again.sign()
    assert "already signed" in again.error.text()
    assert again.isVisible()


def test_png_width_follows_pressure() -> None:
    light = [[Sample(10 + i * 5, 50, i, 0.05) for i in range(40)]]
    firm = [[Sample(10 + i * 5, 50, i, 1.0) for i in range(40)]]

    def ink(png: bytes) -> int:
        image = QImage.fromData(png, "PNG")
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).lightness() < 200
        )

    assert ink(render_png(firm)) > 2 * ink(render_png(light))


@pytest.mark.usefixtures("styled_app")
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_pad_fits_is_touchable_and_named(qtbot: QtBot, day: Day, size: tuple[int, int]) -> None:
    pad = open_pad(qtbot, day)
    pad.resize(*size)
    a_signature(pad.canvas)
    assert layout_problems(qtbot, pad) == []
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots and size == (1280, 800):
        qtbot.wait(100)  # let posted layout requests run before the picture is taken
        pad.grab().save(str(Path(shots) / "signature-pad.png"))
