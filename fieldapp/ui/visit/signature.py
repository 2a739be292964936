"""The visit's signature: who signed, as what and when (or why nobody could), the image, and "Sign",
which opens the full-screen pad only once the visit is checked out."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QLabel

from fieldapp.domain.care import OUTCOME_WORDS
from fieldapp.domain.entities import Signature, Visit
from fieldapp.domain.vitals import VitalUnits
from fieldapp.qt.i18n import full_day
from fieldapp.qt.words import service_line, task_title, word
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.reports.words import KIND_WORDS, ROLE_WORDS, unit_text
from fieldapp.ui.common import set_role
from fieldapp.ui.visit.parts import card, local, named_label, sized_button
from fieldapp.ui.visit.times import SETTLED


def attestation_text(detail: VisitDetail) -> str:
    """What the signer agrees to, in the language they read it in; saved as the signature's ``meaning``
    (the words the signer was shown are the words kept)."""
    visit, patient = detail.visit, detail.patient
    parts = [
        QCoreApplication.translate(
            "Attestation",
            "I confirm that a care worker visited {name} on {day}, from {begin} to {end}, and provided the "
            "service recorded ({service}).",
        ).format(
            name=f"{patient.given_name} {patient.family_name}",
            day=full_day(visit.scheduled_start.astimezone().date()),
            begin=local(visit.effective_check_in),
            end=local(visit.effective_check_out),
            service=service_line(visit.service_code),
        ),
    ]
    if detail.notes or detail.observations:
        parts.append(
            QCoreApplication.translate(
                "Attestation",
                "The {notes} note(s) and {vitals} vital sign(s) shown for this visit were recorded during "
                "it.",
            ).format(notes=len(detail.notes), vitals=len(detail.observations))
        )
    parts.append(
        QCoreApplication.translate(
            "Attestation", "I sign as the patient, or on the patient's behalf as the person named below."
        )
    )
    return " ".join(parts)


def attested_summary(detail: VisitDetail, units: VitalUnits) -> list[str]:
    """What the signer attests, one line each, as the pad shows it above the signing area: the notes,
    the vital signs (in the agency's units) and the tasks' outcomes."""
    lines: list[str] = []
    for note in detail.notes:
        lines.append(
            QCoreApplication.translate("SignaturePad", "Note ({time}): {text}").format(
                time=local(note.written_at), text=note.text
            )
        )
    for o in detail.observations:
        if o.entered_in_error:
            continue
        value, unit = units.shown(o.kind, o.value, o.unit)
        what = KIND_WORDS.get(o.kind.value, o.kind.value)
        lines.append(
            QCoreApplication.translate("SignaturePad", "Vital sign ({time}): {what} {value} {unit}").format(
                time=local(o.observed_at), what=what, value=f"{value:g}", unit=unit_text(unit)
            )
        )
    for line in detail.checklist:
        if line.outcome is not None and line.outcome.outcome is not None:
            outcome = word(OUTCOME_WORDS[line.outcome.outcome])
            reason = f" ({line.outcome.reason})" if line.outcome.reason else ""
            lines.append(
                QCoreApplication.translate("SignaturePad", "Task: {task}: {outcome}").format(
                    task=task_title(line.task.code, line.task.title), outcome=outcome
                )
                + reason
            )
    return lines


def lock_text(s: Signature) -> str:
    """The banner over a signed visit."""
    return QCoreApplication.translate(
        "SignaturePanel",
        "Signed at {time} and locked: the visit times and the notes and vital signs recorded before signing "
        "can no longer change. Anything added now is shown as added after signing; to correct a note, "
        "amend it.",
    ).format(time=local(s.signed_at))


class SignaturePanel(QFrame):
    """The signature card."""

    def __init__(self) -> None:
        super().__init__()
        layout = card(self, self.tr("Signature"), "signatureCard")
        self.signature_info = named_label(name="signatureInfo")
        self.signature_info.setAccessibleName(self.tr("Signature"))
        layout.addWidget(self.signature_info)
        self.signature_image = QLabel()
        self.signature_image.setObjectName("signatureImage")
        set_role(self.signature_image, "signatureImage")
        self.signature_image.setAccessibleName(self.tr("Signature image"))
        self.signature_image.setMinimumHeight(80)
        self.signature_image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.signature_image)
        self.sign_button = sized_button(self.tr("Sign"), self.tr("Open the signature pad"), "primary", 160)
        layout.addWidget(self.sign_button, alignment=Qt.AlignmentFlag.AlignLeft)

    def show_signed(self, s: Signature, image: bytes | None) -> None:
        """Who signed (or why nobody could) and the image; no more signing."""
        role = word(ROLE_WORDS.get(s.signer_role.value, s.signer_role.value))
        when = local(s.signed_at)
        if s.unable_reason:
            self.signature_info.setText(
                self.tr("Could not be signed ({reason}); recorded for {name} ({role}) at {time}.").format(
                    reason=QCoreApplication.translate("UnableToSignDialog", s.unable_reason),
                    name=s.signer_name,
                    role=role,
                    time=when,
                )
            )
        else:
            self.signature_info.setText(
                self.tr("Signed by {name} ({role}) at {time}.").format(
                    name=s.signer_name, role=role, time=when
                )
            )
        self._show_image(image)
        self.sign_button.hide()

    def show_unsigned(self, v: Visit) -> None:
        """Whether the visit can be signed yet, and why not."""
        self.signature_image.clear()
        self.signature_image.hide()
        self.sign_button.show()
        if v.status in SETTLED:
            self.signature_info.setText(self.tr("No signature: the visit did not take place."))
            self.sign_button.setEnabled(False)
        elif v.effective_check_out is None:
            self.signature_info.setText(self.tr("Check out first: signing locks the visit's times."))
            self.sign_button.setEnabled(False)
        else:
            self.signature_info.setText(
                self.tr("Ask the patient (or their representative) to sign for this visit.")
            )
            self.sign_button.setEnabled(True)

    def _show_image(self, content: bytes | None) -> None:
        pixmap = QPixmap()
        if content and pixmap.loadFromData(content):
            self.signature_image.setPixmap(
                pixmap.scaled(
                    320, 110, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
            self.signature_image.show()
        else:
            self.signature_image.clear()
            self.signature_image.hide()
