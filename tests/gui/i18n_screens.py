"""The screens of a worked day, for the translation and text-size walks: Today with its notices, the visit
in each state a worker meets (signed, missed, in progress with tasks, medications and a photo), every
dialog of the visit, the patient record, end of day with its report, and the main window around them.

``work_the_day`` records the day once (both walks build the screens twice over the same store: English,
then Spanish); ``DAY_TEXTS`` is what the worker typed, the same in every language.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from fieldapp.app import Workspace
from fieldapp.domain.care import Frequency, Outcome
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import Location, LocationKind, ObservationKind, SignerRole, VisitStatus
from fieldapp.readmodels.notices import NoticeKind, ScheduleNotice, describe
from fieldapp.store import care, repo
from fieldapp.ui.end_of_day import EndOfDayScreen
from fieldapp.ui.gallery import AttachmentViewer
from fieldapp.ui.medications import ClinicalListsDialog, MedicationDialog
from fieldapp.ui.notices import NoticePanel
from fieldapp.ui.patient_record import PatientRecordScreen
from fieldapp.ui.visit import TimeCorrectionDialog, VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning, exception_dialog, missed_dialog
from tests import factories
from tests.gui.shell_helpers import Tablet

NOTE = "Patient alert and oriented; walked to the kitchen with the walker."
AMENDMENT = "Correction: the walker is a rollator."
TASK, INSTRUCTIONS = "Walk to the mailbox", "Hold the left arm."
MEDICATION = "Furosemide"
MEANING = "I confirm the visit took place as recorded."
NOTICE_PATIENT = "Zoë Núñez-O'Brien"
# What the worker or the office typed: shown as written in every language.
DAY_TEXTS = [
    MEANING,
    NOTE,
    AMENDMENT,
    TASK,
    INSTRUCTIONS,
    MEDICATION,
    NOTICE_PATIENT,
    "Client in hospital",
    "Shower chair; warm water.",
    "anaphylaxis",
]

DAY_SCREENS = (
    "today",
    "notices",
    "main window",
    "visit (signed)",
    "visit (missed)",
    "visit (in progress)",
    "time correction",
    "missed reason",
    "exception reason",
    "check-out warning",
    "medication",
    "allergies and diagnoses",
    "attachment",
    "camera",
    "patient record",
    "end of day",
)


def _png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def work_the_day(workspace: Workspace, tablet: Tablet) -> None:
    """Visit 1 worked, amended, measured and signed; visit 2 missed; visit 3 in progress in the community
    with a task left to do, a medication and a photo. Done once per store."""
    first, second, third = tablet.visits
    store, actions = tablet.device.store, workspace.actions
    with store.read() as s:
        visit = repo.get(s, type(first), first.id)
        if visit is not None and visit.status is not VisitStatus.SCHEDULED:
            return
    with store.unit_of_work() as s:
        for position, (code, title) in enumerate(((None, TASK), ("ADL-BATH", None)), 1):
            extra = {"title": title, "instructions": INSTRUCTIONS} if title else {}
            task = factories.care_task(
                third.patient_id, code=code, position=position, frequency=Frequency.AS_NEEDED, **extra
            )
            repo.add(s, store.clock, task)
        repo.add(s, store.clock, factories.medication(third.patient_id, name=MEDICATION))
    actions.check_in(first.id, Location(kind=LocationKind.HOME))
    note = actions.add_note(first.id, NOTE)
    actions.add_note(first.id, AMENDMENT, amends=note.record_id)
    actions.add_observation(first.id, ObservationKind.TEMPERATURE, 37.5, "Cel")
    actions.check_out(first.id)
    actions.sign(
        first.id,
        strokes=[],
        png=None,
        signer_name="Zoë Núñez-O'Brien",
        signer_role=SignerRole.PATIENT,
        meaning=MEANING,
        unable_reason="Patient declined to sign",
    )
    actions.mark_missed(second.id, ExceptionReason.CLIENT_NOT_HOME)
    actions.check_in(third.id, Location(kind=LocationKind.COMMUNITY), no_fix=ExceptionReason.NO_POSITIONING)
    with store.read() as s:
        bath = next(t for t in care.patient_tasks(s, third.patient_id) if t.code == "ADL-BATH")
    actions.record_outcome(third.id, bath.id, Outcome.REFUSED, "Asleep", "")
    actions.attach(third.patient_id, third.id, _png())


def _visit(workspace: Workspace, index: int, tablet: Tablet) -> VisitScreen:
    screen = VisitScreen(workspace.records, workspace.actions)
    screen.show_visit(tablet.visits[index].id)
    return screen


def _dialogs(workspace: Workspace, tablet: Tablet, busy: VisitScreen) -> dict[str, QWidget]:
    detail = busy.detail
    assert detail is not None
    actions = workspace.actions
    located = detail.exceptions[0]
    begun = detail.visit.effective_check_in or datetime.now(UTC)
    from fieldapp.ui.visit.verification import check_out_warnings

    warnings = check_out_warnings(detail, begun + timedelta(minutes=5))
    from PySide6.QtMultimedia import QVideoFrameInput

    from fieldapp.ui.gallery.camera import CameraDialog

    camera = CameraDialog(QVideoFrameInput())
    return {
        "time correction": TimeCorrectionDialog(detail.visit, actions),
        "missed reason": missed_dialog(detail.visit.id, actions.mark_missed),
        "exception reason": exception_dialog(located, actions.explain_exception),
        "check-out warning": CheckOutWarning(warnings, lambda: None),
        "medication": MedicationDialog(actions, detail.patient.id, detail.medications[0]),
        "allergies and diagnoses": ClinicalListsDialog(actions, tablet.patients[0]),
        "attachment": AttachmentViewer(detail.attachments[0], workspace.records),
        "camera": camera,
    }


def schedule_notices(tablet: Tablet) -> list[ScheduleNotice]:
    """One notice of each kind the office's changes make, as the read model words them."""
    me, visit = uuid.uuid4(), tablet.visits[0]
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    mine = {
        "worker_id": str(me),
        "scheduled_start": start.isoformat(),
        "scheduled_end": (start + timedelta(hours=1)).isoformat(),
        "service_code": "T1019",
        "worker_notes": "",
    }
    later = {**mine, "scheduled_start": (start + timedelta(days=1, hours=1)).isoformat()}
    changes = [
        (NoticeKind.MOVED, mine, later | {"scheduled_end": (start + timedelta(days=1, hours=2)).isoformat()}),
        (NoticeKind.CANCELLED, mine, {**mine, "status": "cancelled", "cancel_reason": "Client in hospital"}),
        (NoticeKind.CHANGED, {**mine, "worker_notes": "x"}, {**mine, "service_code": "G0156"}),
        (NoticeKind.REASSIGNED, mine, {**mine, "worker_id": str(uuid.uuid4())}),
        (NoticeKind.SCHEDULED, None, mine),
        (NoticeKind.RESTORED, {**mine, "status": "cancelled"}, mine),
    ]
    found = []
    for number, (kind, before, after) in enumerate(changes, 1):
        words = describe(kind, before, after, NOTICE_PATIENT if number % 2 else None, me, UTC)
        assert words is not None
        found.append(ScheduleNotice(number, visit.id, kind, words, datetime.now(UTC)))
    return found


def day_screens(workspace: Workspace, tablet: Tablet) -> dict[str, QWidget]:
    """Every screen and dialog of the worked day (``work_the_day`` first), by name."""
    work_the_day(workspace, tablet)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # Today's cards of before
    window = workspace.window
    notices = NoticePanel()
    notices.show_notices(schedule_notices(tablet))
    busy = _visit(workspace, 2, tablet)
    record = PatientRecordScreen(workspace.records, workspace.actions)
    record.show_patient(tablet.patients[0].id)
    end_of_day = window.page("end_of_day")
    assert isinstance(end_of_day, EndOfDayScreen)
    end_of_day.create_report()
    return {
        "today": window.page("today"),
        "notices": notices,
        "main window": window,
        "visit (signed)": _visit(workspace, 0, tablet),
        "visit (missed)": _visit(workspace, 1, tablet),
        "visit (in progress)": busy,
        **_dialogs(workspace, tablet, busy),
        "patient record": record,
        "end of day": end_of_day,
    }
