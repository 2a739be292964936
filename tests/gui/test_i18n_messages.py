"""What the Qt-free layers say reaches a Spanish tablet in Spanish: the schedule notices the read model
words (times by the locale), the plan of care's duties, and the domain's refusals shown in dialogs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fieldapp.app import Workspace
from fieldapp.domain.care import Outcome
from fieldapp.domain.errors import DomainError
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.language import Moment
from fieldapp.domain.values import Location, LocationKind
from fieldapp.qt.i18n import moment, say
from fieldapp.qt.words import task_title
from fieldapp.store import repo
from fieldapp.ui.visit.parts import sentence
from tests import factories
from tests.gui.i18n_helpers import Spanish, compile_catalogue
from tests.gui.i18n_screens import NOTICE_PATIENT, schedule_notices
from tests.gui.shell_helpers import Tablet, fake_controller

ENGLISH = re.compile(r"\b(the|visit|office|moved|cancelled|is|now|new|note|check|signed|says?|why)\b", re.I)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_catalogue(tmp_path_factory.mktemp("qm"))


def test_schedule_notices_are_said_in_the_workers_language(
    catalogue: Path, tablet: Tablet, qapp: QApplication
) -> None:
    notices = schedule_notices(tablet)
    english = [say(n.words) for n in notices]
    assert english == [n.text for n in notices], "without a catalogue the tablet says the source text"
    assert any(" moved to " in text and NOTICE_PATIENT in text for text in english)
    with Spanish(catalogue):
        spanish = [say(n.words) for n in notices]
    assert all(not ENGLISH.search(text.replace(NOTICE_PATIENT, "")) for text in spanish), spanish
    assert any("cancelada por la oficina. Motivo: Client in hospital" in text for text in spanish)
    assert any("un paciente" in text for text in spanish), "a patient not on the tablet"
    friday = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
    with Spanish(catalogue):
        assert moment(Moment(friday, with_day=True)) == "vie 04 dic 15:30"
    assert moment(Moment(friday, with_day=True)) == "Fri 04 Dec 15:30" == f"{friday:%a %d %b %H:%M}"
    assert moment(Moment(friday)) == "15:30"


def test_duties_of_the_catalogue_are_named_in_the_workers_language(
    catalogue: Path, qapp: QApplication
) -> None:
    assert task_title("ADL-BATH", "") == "Bathing"
    with Spanish(catalogue):
        assert task_title("ADL-BATH", "") == "Baño"
        assert task_title("ADL-BATH", "Bathing") == "Baño", "the catalogue's words, as an outcome keeps them"
        assert task_title("ADL-BATH", "Shower, seated") == "Shower, seated", (
            "the office's own title as written"
        )
        assert task_title(None, "Walk to the mailbox") == "Walk to the mailbox"


def test_refusals_of_the_domain_reach_a_spanish_tablet_in_spanish(
    catalogue: Path, tablet: Tablet, qapp: QApplication
) -> None:
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    actions, (first, second, _) = workspace.actions, tablet.visits
    attempts = [
        lambda: actions.add_note(first.id, "   "),
        lambda: actions.mark_missed(second.id, None),
        lambda: actions.check_out(second.id),
    ]
    try:
        actions.check_in(first.id, Location(kind=LocationKind.HOME))
        attempts.append(lambda: actions.check_in(first.id, Location(kind=LocationKind.HOME)))
        attempts.append(lambda: actions.mark_missed(first.id, ExceptionReason.CLIENT_NOT_HOME))
        store = tablet.device.store
        task = factories.care_task(first.patient_id, code="ADL-BATH")
        with store.unit_of_work() as s:
            repo.add(s, store.clock, task)
        attempts.append(lambda: actions.record_outcome(first.id, task.id, Outcome.COULD_NOT_DO, "", ""))
        refusals = []
        for attempt in attempts:
            with pytest.raises(DomainError) as refused:
                attempt()
            refusals.append(refused.value)
        english = [sentence(exc) for exc in refusals]
        assert all(ENGLISH.search(text) for text in english), english
        with Spanish(catalogue):
            spanish = [sentence(exc) for exc in refusals]
        assert all(not ENGLISH.search(text) for text in spanish), spanish
        assert "Una nota necesita algo de texto." in spanish
        assert "This visit is in progress; it cannot be marked missed." in english, "said with its values"
        assert "Esta visita está en curso; no se puede marcar como no realizada." in spanish
        assert "Diga por qué: «no se pudo» necesita un motivo." in spanish
    finally:
        workspace.close(close_store=False)


def test_pydantics_own_words_reach_a_spanish_tablet_in_spanish(
    catalogue: Path, tablet: Tablet, qapp: QApplication
) -> None:
    """A field too long is refused by the entity's own rules (pydantic's words): said with its value."""
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    first = tablet.visits[0]
    try:
        workspace.actions.check_in(first.id, Location(kind=LocationKind.HOME))
        with pytest.raises(DomainError) as refused:
            workspace.actions.add_note(first.id, "x" * 10_001)
        english = sentence(refused.value)
        assert "at most 10000 characters" in english, english
        with Spanish(catalogue):
            spanish = sentence(refused.value)
        assert "como máximo 10000 caracteres" in spanish and not ENGLISH.search(spanish), spanish
    finally:
        workspace.close(close_store=False)
