"""Fingers and sunlight on every screen and dialog of the tablet: scrolling never changes a value, the
high-contrast theme and the largest text size clip nothing, and every control is at least 44 px in both
orientations and both languages (tests/gui/i18n_helpers lists the screens)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)
from pytestqt.exceptions import TimeoutError as QtTimeout
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.qt.display import Display, DisplayPrefs, load_prefs
from fieldapp.qt.look import Look, apply_look, stylesheet
from fieldapp.qt.wheel import install_wheel_guard
from fieldapp.ui.common import TOUCH
from tests.gui.i18n_helpers import OWNED_SCREENS, Spanish, build_screens, compile_catalogue
from tests.gui.shell_helpers import LANDSCAPE, PORTRAIT, Tablet, controls, fake_controller
from tests.gui.shell_helpers import styled_app as styled_app


@pytest.fixture
def large(qapp: QApplication) -> Iterator[QApplication]:
    """The high-contrast theme at the largest text size."""
    font, sheet = QFont(qapp.font()), qapp.styleSheet()
    apply_look(qapp, Look("contrast", "large"))
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def wheel(widget: QWidget, steps: int = -3) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_a_wheel_over_the_sync_interval_scrolls_the_page_and_changes_nothing(
    qtbot: QtBot, tablet: Tablet, qapp: QApplication
) -> None:
    guard = install_wheel_guard(qapp)
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    try:
        window = workspace.window
        window.resize(1000, 560)  # short enough that Settings scrolls
        window.show()
        window.show_page("settings")
        settings = window.page("settings")
        qtbot.waitExposed(window)
        area = settings.findChild(QScrollArea)
        assert area is not None
        settings.server.setFocus()
        box: QComboBox = settings.interval
        area.verticalScrollBar().setValue(0)
        assert area.verticalScrollBar().maximum() > 0
        before, scrolled = box.currentIndex(), area.verticalScrollBar().value()
        saved = tablet.device.profile.load_settings().sync_interval_s
        wheel(box, -3)
        wheel(box, 3)
        wheel(box, -3)
        assert box.currentIndex() == before and not box.hasFocus()
        assert tablet.device.profile.load_settings().sync_interval_s == saved == 300
        assert area.verticalScrollBar().value() != scrolled, "the page scrolled instead"
    finally:
        workspace.close(close_store=False)
        qapp.removeEventFilter(guard)  # the other tests run without it, as before
        guard.setParent(None)


def test_the_theme_and_text_size_are_kept_and_applied_at_once(tmp_path: Path, qapp: QApplication) -> None:
    font, sheet = QFont(qapp.font()), qapp.styleSheet()
    try:
        display = Display(tmp_path, qapp)
        display.set_theme("contrast")
        display.set_text_size("large")
        assert load_prefs(tmp_path) == DisplayPrefs(theme="contrast", text_size="large")
        assert qapp.styleSheet() == stylesheet(Look("contrast", "large"))
        assert "font-size: 22px" in qapp.styleSheet()  # 17 px x 1.3
        assert qapp.font().pixelSize() == 22
        assert display.set_language("es") == "next start", "no shell to build the screens again in it"
        assert load_prefs(tmp_path).language == "es"
        with pytest.raises(ValueError):
            display.set_theme("neon")
        (tmp_path / "display.json").write_text("{not json")
        assert load_prefs(tmp_path) == DisplayPrefs(), "a damaged file falls back to the defaults"
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def _clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text does not fit them."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        name = f"{type(widget).__name__}({widget.accessibleName() or widget.objectName()})"
        if isinstance(widget, QLabel) and widget.text():
            room = widget.contentsRect().width() - 2 * max(0, widget.margin()) - max(0, widget.indent())
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 1:
                    problems.append(f"{name} needs {needed} px of height, has {widget.height()}")
            elif widget.fontMetrics().horizontalAdvance(widget.text()) > room + 1:
                problems.append(f"{name} {widget.text()!r} is wider than {room} px")
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            problems += _clipped_headers(widget, name)
        elif isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                problems.append(
                    f"{name} needs {hint.width()}x{hint.height()}, has {widget.width()}x{widget.height()}"
                )
    return problems


def _clipped_headers(header: QHeaderView, name: str) -> list[str]:
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = str(header.model().headerData(section, header.orientation()) or "")
        needed = metrics.horizontalAdvance(title) + 16  # the section's padding (style.qss: 8 px a side)
        if needed > header.sectionSize(section):
            problems.append(f"{name} column {title!r} needs {needed} px, has {header.sectionSize(section)}")
    return problems


def _small(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__}({w.accessibleName()}) is {w.width()}x{w.height()}"
        for w in controls(root)
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox)
        and (w.height() < TOUCH or w.width() < TOUCH)
    ]


# Known and not yet fixed: none (Today's cards and the sync bar at the largest text in portrait were, until
# decision 0039). A screen listed here must clip, so the walk still fails on anything new and fails when a
# listed one is fixed without being taken off the list.
KNOWN_CLIPPING: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_catalogue(tmp_path_factory.mktemp("qm"))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_largest_text_clips_nothing_and_every_control_is_44_px(
    qtbot: QtBot, tablet: Tablet, large: QApplication, size: tuple[int, int], language: str, catalogue: Path
) -> None:
    keep: list[object] = []
    with Spanish(catalogue) if language == "es" else contextlib.nullcontext():
        screens = build_screens(tablet, keep)
    workspace = next(thing for thing in keep if isinstance(thing, Workspace))
    try:
        window = workspace.window
        window.resize(*size)
        window.show()
        problems: dict[str, list[str]] = {}
        pages = {"settings": "settings", "patients": "patients", "conflicts": "conflicts"}
        pages |= {"today": "today", "end of day": "end_of_day", "main window": "today"}
        for name in sorted(OWNED_SCREENS, key=lambda n: n == "lock"):  # the lock last: it covers the window
            screen = screens[name]
            if name in pages:
                window.show_page(pages[name])
            elif screen.isWindow():
                if screen.parent() is None:  # a dialog goes with the window it belongs to
                    qtbot.addWidget(screen)
                screen.resize(*size)
                screen.show()
            elif name == "lock":
                workspace.lock.lock("manual")
            qtbot.waitExposed(screen.window())

            def found(target: QWidget = screen) -> list[str]:
                return [*_clipped(target), *_small(target)]

            with contextlib.suppress(QtTimeout):  # layouts settle asynchronously; then look again
                qtbot.waitUntil(lambda: not found(), timeout=1_500)
            if found():
                problems[name] = found()
        orientation = "portrait" if size == PORTRAIT else "landscape"
        known = {name for name, where in KNOWN_CLIPPING if where == orientation}
        assert known <= set(problems), "fixed: take it off KNOWN_CLIPPING"
        unknown = {name: found for name, found in problems.items() if name not in known}
        assert unknown == {}, "\n".join(f"{name}: {found}" for name, found in unknown.items())
    finally:
        workspace.close(close_store=False)


def test_the_clipping_check_sees_text_wider_than_its_label(qtbot: QtBot, large: QApplication) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    narrow = QLabel("Sincronización de la oficina", root)
    narrow.setGeometry(0, 0, 60, 30)
    root.resize(200, 100)
    root.show()
    assert _clipped(root) != []
    narrow.resize(narrow.sizeHint())
    assert _clipped(root) == []


def test_settings_change_the_language_for_the_next_start_and_the_look_at_once(
    qtbot: QtBot, tablet: Tablet, qapp: QApplication, tmp_path: Path
) -> None:
    from fieldapp.qt.account import Account
    from fieldapp.qt.records import Records
    from fieldapp.ui.settings import SettingsScreen

    font, sheet = QFont(qapp.font()), qapp.styleSheet()
    display = Display(tmp_path, qapp, speaking="en")
    screen = SettingsScreen(Account(tablet.session), Records(tablet.device.store), display=display)
    qtbot.addWidget(screen)
    try:
        assert screen.language.currentData() == "system" and screen.text_size.currentData() == "normal"
        screen.language.setCurrentIndex(screen.language.findData("es"))
        assert load_prefs(tmp_path).language == "es"
        assert "next start" in screen.display_message.text()
        screen.language.setCurrentIndex(screen.language.findData("en"))
        assert "already speaks" in screen.display_message.text()
        screen.theme.setCurrentIndex(screen.theme.findData("contrast"))
        screen.text_size.setCurrentIndex(screen.text_size.findData("small"))
        assert load_prefs(tmp_path) == DisplayPrefs("en", "contrast", "small")
        assert qapp.styleSheet() == stylesheet(Look("contrast", "small"))
        assert screen.display_message.text() == "Saved; shown now."
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_lists_of_choices_open_with_rows_a_finger_can_hit(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    from fieldapp.qt.touch import install_combo_rows

    rows = install_combo_rows(styled_app)
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    try:
        box: QComboBox = workspace.window.page("settings").interval
        workspace.window.show_page("settings")
        workspace.window.show()
        qtbot.waitExposed(workspace.window)
        box.showPopup()
        view = box.view()
        heights = [view.visualRect(view.model().index(row, 0)).height() for row in range(box.count())]
        box.hidePopup()
        assert min(heights) >= TOUCH, heights
    finally:
        workspace.close(close_store=False)
        styled_app.removeEventFilter(rows)
        rows.setParent(None)


def test_the_sync_bar_keeps_its_place_in_portrait_whatever_its_counts_say(
    qtbot: QtBot, tablet: Tablet, large: QApplication
) -> None:
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    try:
        window, bar = workspace.window, workspace.window.status_bar
        window.resize(*PORTRAIT)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: bar.pending_label.text() != "")
        qtbot.wait(100)  # laid out: the counts on a line of their own under the buttons (portrait)
        assert bar.layout().indexOf(bar.pending_label.parentWidget()) >= 0
        height, page_top = bar.height(), window.stack.mapTo(window, QPoint(0, 0)).y()
        long = "12 changes not sent yet · 3 refused by the office, " * 4
        bar.pending_label.set_words(long)
        qtbot.wait(50)
        assert bar.height() == height and window.stack.mapTo(window, QPoint(0, 0)).y() == page_top
        shown = bar.pending_label.text()
        assert shown.startswith("12 changes") and shown.endswith("…") and bar.pending_label.toolTip() == long
        assert bar.pending_label.accessibleName() == long, "a screen reader hears every word"
        assert _clipped(bar) == []
    finally:
        workspace.close(close_store=False)
