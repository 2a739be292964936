"""The report's content as blocks: title, the day's counts and verdict, the visits table, each visit in
detail (times, location, notes, vitals, signature) and what is not settled with the office."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QDate, QLocale, QRectF
from PySide6.QtGui import QFontMetricsF, QPainter

from fieldapp.domain.care import OUTCOME_WORDS, Outcome
from fieldapp.domain.language import QT_TRANSLATE_NOOP, Translate, english
from fieldapp.domain.services import service_info, service_words
from fieldapp.readmodels.day import DayReportData, TimeLine, VisitLine, VitalLine
from fieldapp.reports.layout import (
    ALERT,
    ALERT_BG,
    CONTENT_W,
    INK,
    MARGIN_X,
    MUTED,
    OK,
    OK_BG,
    RULE,
    SHADE,
    Block,
    Fonts,
    ImageSource,
    draw_rule,
    draw_text,
    heading,
    lines,
    paragraph,
    pt,
    wrap,
)
from fieldapp.reports.signed import SignatureSection
from fieldapp.reports.words import (
    CORRECTION_WORDS,
    KIND_WORDS,
    LOCATION_WORDS,
    STATUS_WORDS,
    unit_text,
)


class Sections(SignatureSection):
    """Lays out one report's content; ``blocks()`` in reading order. Headings and labels go through
    ``translate`` (context ``Sections``; the codes' words through ``Words``), dates through ``locale``."""

    def __init__(
        self,
        data: DayReportData,
        fonts: Fonts,
        zone: tzinfo,
        images: ImageSource,
        translate: Translate = english,
        locale: str = "en_US",
    ) -> None:
        self.data, self.fonts, self.zone, self.images = data, fonts, zone, images
        self.translate, self.locale = translate, QLocale(locale)

    def tr(self, text: str) -> str:
        """``text`` in the report's language."""
        return self.translate("Sections", text)

    def word(self, text: str) -> str:
        """A code's word (a status, a kind of vital sign, a place) in the report's language."""
        return self.translate("Words", text)

    def service(self, code: str) -> str:
        """A service code with what it is ("G0299 — Skilled nursing by an RN"), in the report's language."""
        info = service_info(code)
        return f"{info.code} — {self.word(info.description)}" if info is not None else service_words(code)

    def blocks(self) -> list[Block]:
        """Every block of the report, in reading order."""
        blocks = [*self._title(), *self._summary(), *self._visit_table()]
        for visit in self.data.visits:
            blocks.extend(self._visit_detail(visit))
        blocks.extend(self._conflicts())
        return blocks

    def _title(self) -> list[Block]:
        f, d = self.fonts, self.data
        title_h = QFontMetricsF(f.title).lineSpacing()
        sub_h = QFontMetricsF(f.body).lineSpacing()

        agency_h = QFontMetricsF(f.bold).lineSpacing() if d.agency else 0.0

        def paint(p: QPainter, y: float) -> None:
            draw_text(p, f.title, INK, MARGIN_X, y, self.tr("End-of-day report"))
            if d.agency:
                draw_text(p, f.bold, INK, MARGIN_X, y + title_h, d.agency)
            who = d.worker_name or str(d.worker_id)
            draw_text(p, f.body, INK, MARGIN_X, y + title_h + agency_h, f"{who}  ·  {self.day_words()}")
            zone_y = y + title_h + agency_h + sub_h
            draw_text(
                p,
                f.small,
                MUTED,
                MARGIN_X,
                zone_y,
                self.tr("All times {zone}").format(zone=self.zone_label()),
            )

        return [Block(title_h + agency_h + sub_h + QFontMetricsF(f.small).lineSpacing() + pt(10), paint)]

    def _summary(self) -> list[Block]:
        f, d, s = self.fonts, self.data, self.data.summary
        cells: list[tuple[str, int, bool]] = [
            (self.tr("Visits scheduled"), s.visits_scheduled, False),
            (self.tr("Completed"), s.visits_completed, False),
            (self.tr("Missed"), s.visits_missed, False),
            (self.tr("Not finished"), d.unsettled, d.unsettled > 0),
            (self.tr("Unsigned"), s.visits_unsigned, s.visits_unsigned > 0),
            (self.tr("Missing EVV"), s.visits_missing_evv, s.visits_missing_evv > 0),
            (self.tr("Notes"), s.notes, False),
            (self.tr("Vitals"), s.observations, False),
            (self.tr("Unsent changes"), s.unsent_changes, s.unsent_changes > 0),
            (self.tr("Open conflicts"), s.open_conflicts, s.open_conflicts > 0),
        ]
        columns, gap = 5, pt(6)
        cell_w = (CONTENT_W - gap * (columns - 1)) / columns
        cell_h = QFontMetricsF(f.count).lineSpacing() + QFontMetricsF(f.small).lineSpacing() + pt(10)
        rows = (len(cells) + columns - 1) // columns

        def paint(p: QPainter, y: float) -> None:
            for i, (label, value, bad) in enumerate(cells):
                x = MARGIN_X + (i % columns) * (cell_w + gap)
                top = y + (i // columns) * (cell_h + gap)
                p.fillRect(QRectF(x, top, cell_w, cell_h), ALERT_BG if bad else SHADE)
                if bad:
                    p.fillRect(QRectF(x, top, pt(3), cell_h), ALERT)
                draw_text(
                    p, f.count, ALERT if bad else INK, x + pt(7), top + pt(4), self.locale.toString(value)
                )
                label_y = top + pt(4) + QFontMetricsF(f.count).lineSpacing()
                draw_text(p, f.small, ALERT if bad else MUTED, x + pt(7), label_y, label)

        grid = Block(rows * cell_h + (rows - 1) * gap + pt(8), paint)
        if d.ready:
            verdict, colour, background = (
                self.tr(
                    "Ready to submit: every visit is finished or marked missed, signed and verified, "
                    "and everything has reached the office."
                ),
                OK,
                OK_BG,
            )
        else:
            verdict, colour, background = (
                self.tr("Needs attention: {problems}.").format(problems="; ".join(self._problems())),
                ALERT,
                ALERT_BG,
            )
        lines = wrap(verdict, f.bold, CONTENT_W - pt(16))
        line_h = QFontMetricsF(f.bold).lineSpacing()

        def paint_verdict(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(MARGIN_X, y, CONTENT_W, len(lines) * line_h + pt(8)), background)
            for i, line in enumerate(lines):
                draw_text(p, f.bold, colour, MARGIN_X + pt(8), y + pt(4) + i * line_h, line)

        return [grid, Block(len(lines) * line_h + pt(8) + pt(12), paint_verdict)]

    def _problems(self) -> list[str]:
        d, s = self.data, self.data.summary
        found = []
        if d.unsettled:
            found.append(self.tr("{count} visit(s) not finished or marked missed").format(count=d.unsettled))
        if s.visits_unsigned:
            found.append(self.tr("{count} visit(s) not signed").format(count=s.visits_unsigned))
        if s.visits_missing_evv:
            found.append(
                self.tr("{count} visit(s) missing visit-verification elements").format(
                    count=s.visits_missing_evv
                )
            )
        if s.unsent_changes:
            found.append(
                self.tr("{count} change(s) not yet sent to the office").format(count=s.unsent_changes)
            )
        if d.rejected_changes:
            found.append(self.tr("{count} change(s) refused by the office").format(count=d.rejected_changes))
        if s.open_conflicts:
            found.append(self.tr("{count} open conflict(s)").format(count=s.open_conflicts))
        return found

    # Visits table: (header, share of the width)
    COLUMNS: tuple[tuple[str, float], ...] = (
        (QT_TRANSLATE_NOOP("Sections", "Time"), 0.10),
        (QT_TRANSLATE_NOOP("Sections", "Patient"), 0.19),
        (QT_TRANSLATE_NOOP("Sections", "Service"), 0.09),
        (QT_TRANSLATE_NOOP("Sections", "Status"), 0.12),
        (QT_TRANSLATE_NOOP("Sections", "In – out"), 0.14),
        (QT_TRANSLATE_NOOP("Sections", "Hours"), 0.07),
        (QT_TRANSLATE_NOOP("Sections", "Location"), 0.10),
        (QT_TRANSLATE_NOOP("Sections", "EVV"), 0.11),
        (QT_TRANSLATE_NOOP("Sections", "Signed"), 0.08),
    )

    def _visit_table(self) -> list[Block]:
        f = self.fonts
        blocks = [heading(self.tr("Visits"), f.h1, keep=True)]
        widths = [share * CONTENT_W for _, share in self.COLUMNS]
        pad = pt(3)
        header_h = QFontMetricsF(f.small_bold).lineSpacing() + 2 * pad

        def paint_header(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(MARGIN_X, y, CONTENT_W, header_h), SHADE)
            x = float(MARGIN_X)
            for (title, _), w in zip(self.COLUMNS, widths, strict=True):
                draw_text(p, f.small_bold, INK, x + pad, y + pad, self.tr(title))
                x += w

        blocks.append(Block(header_h, paint_header, keep_with_next=True))
        if not self.data.visits:
            blocks.append(paragraph(self.tr("No visits were scheduled for this day."), f.body, MUTED))
        for visit in self.data.visits:
            blocks.append(self._visit_row(visit, widths, pad))
        if self.data.visits:
            total = self.tr("Total hours worked: {hours} (visits with check-in and check-out)").format(
                hours=self.hours(self.data.worked_minutes)
            )
            blocks.extend(lines(total, f.small_bold, INK))
        blocks.append(Block(pt(14), lambda p, y: None))
        return blocks

    def _visit_row(self, v: VisitLine, widths: list[float], pad: float) -> Block:
        f = self.fonts
        if not v.worked and not v.unsettled:  # missed or cancelled: nothing to verify or sign
            evv, signed = "—", "—"
        else:
            evv = (
                self.tr("complete")
                if not v.missing_evv
                else self.tr("missing: {elements}").format(
                    elements=", ".join(map(self._short_evv, v.missing_evv))
                )
            )
            signed = self.tr("no")
            if v.signature is not None:
                signed = self.tr("unable") if v.signature.unable_reason else self.tr("yes")
        cells: list[tuple[str, bool]] = [
            (self.time(v.scheduled_start), False),
            (f"{v.patient_name}\n{v.patient_mrn}".strip(), False),
            (v.service_code, False),
            (self.word(STATUS_WORDS.get(v.status, v.status)), v.unsettled),
            (f"{self.time(v.check_in.effective)} – {self.time(v.check_out.effective)}", False),
            (self.hours(v.minutes) if v.minutes is not None else "—", False),
            (self.word(LOCATION_WORDS.get(v.location or "", "—")), v.worked and v.location is None),
            (evv, v.needs_evv),
            (signed, v.needs_signature),
        ]
        wrapped = [wrap(text, f.small, w - 2 * pad) for (text, _), w in zip(cells, widths, strict=True)]
        line_h = QFontMetricsF(f.small).lineSpacing()
        height = max(len(lines) for lines in wrapped) * line_h + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            x = float(MARGIN_X)
            for (_, bad), cell_lines, w in zip(cells, wrapped, widths, strict=True):
                if bad:
                    p.fillRect(QRectF(x, y, w, height), ALERT_BG)
                for i, line in enumerate(cell_lines):
                    draw_text(p, f.small, ALERT if bad else INK, x + pad, y + pad + i * line_h, line)
                x += w
            draw_rule(p, y + height, RULE)

        return Block(height, paint)

    def _visit_detail(self, v: VisitLine) -> list[Block]:
        f = self.fonts
        blocks: list[Block] = [Block(pt(6), lambda p, y: None)]
        blocks.extend(self._visit_facts(v))
        blocks.extend(self._tasks(v))
        blocks.append(heading(self.tr("Notes"), f.bold, keep=True))
        blocks.extend(self._notes(v))
        settled_unworked = not v.worked and not v.unsettled  # missed or cancelled
        if settled_unworked and not v.vitals and v.signature is None:
            blocks.append(Block(pt(10), lambda p, y: None))
            return blocks
        blocks.append(heading(self.tr("Vitals"), f.bold, keep=True))
        if not v.vitals:
            blocks.extend(lines(self.tr("No vitals recorded."), f.small, MUTED))
        for vital in v.vitals:
            blocks.append(self._vital_row(vital))
        blocks.append(Block(pt(6), lambda p, y: None))
        blocks.append(heading(self.tr("Signature"), f.bold, keep=True))
        blocks.extend(self._signature(v))
        blocks.append(Block(pt(10), lambda p, y: None))
        return blocks

    def _visit_facts(self, v: VisitLine) -> list[Block]:
        """The visit's heading, who and what, its times and place (or that it did not happen), and what
        is left to fix."""
        f = self.fonts
        title = f"{self.time(v.scheduled_start)}  {v.patient_name}"
        blocks = [heading(title, f.h2, keep=True, rule=True)]
        facts = [
            self.tr("Record no. {mrn}").format(mrn=v.patient_mrn) if v.patient_mrn else "",
            self.tr("Service {code}").format(code=self.service(v.service_code)),
            self.word(STATUS_WORDS.get(v.status, v.status)),
            v.address,
        ]
        blocks.extend(lines(" · ".join(x for x in facts if x), f.small, MUTED, keep=True))
        if not v.worked and not v.unsettled:  # missed or cancelled
            status = self.word(STATUS_WORDS.get(v.status, v.status))
            not_seen = self.tr("{status}: the patient was not seen.").format(status=status)
            blocks.extend(lines(not_seen, f.small, INK, keep=True))
        else:
            blocks.extend(lines(self._times_text(self.tr("Check-in"), v.check_in), f.small, INK, keep=True))
            blocks.extend(lines(self._times_text(self.tr("Check-out"), v.check_out), f.small, INK, keep=True))
            location = (
                self.word(LOCATION_WORDS.get(v.location, v.location))
                if v.location
                else self.tr("not recorded")
            )
            blocks.extend(lines(self.tr("Location: {place}").format(place=location), f.small, INK, keep=True))
        problems = v.problems(self.translate)
        if problems:
            to_fix = self.tr("To fix: {problems}").format(problems="; ".join(problems))
            blocks.extend(lines(to_fix, f.small_bold, ALERT, keep=True))
        blocks.append(Block(pt(4), lambda p, y: None, keep_with_next=True))
        return blocks

    def _tasks(self, v: VisitLine) -> list[Block]:
        """The plan of care's tasks: what happened to each, with the reason; those left open in red."""
        if not v.tasks:
            return []
        f = self.fonts
        blocks: list[Block] = [heading(self.tr("Tasks (plan of care)"), f.bold, keep=True)]
        for t in v.tasks:
            if t.outcome is None:
                outcome = self.tr("as needed, not done") if t.as_needed else self.tr("LEFT OPEN")
            else:
                outcome = self.word(OUTCOME_WORDS[Outcome(t.outcome)])
            if t.error_reason:
                outcome = self.tr("{outcome}, ENTERED IN ERROR: {reason}").format(
                    outcome=outcome, reason=t.error_reason
                )
            extra = " · ".join(x for x in (t.reason, t.note) if x)
            text = f"{t.name(self.translate)}: {outcome}" + (f" ({extra})" if extra else "")
            blocks.extend(lines(text, f.small, ALERT if t.left_open else INK, indent=pt(8)))
        blocks.append(Block(pt(4), lambda p, y: None))
        return blocks

    def _notes(self, v: VisitLine) -> list[Block]:
        """Each note with when it was written, what it amends, and whether it came after signing."""
        f = self.fonts
        blocks: list[Block] = []
        if not v.notes:
            blocks.extend(lines(self.tr("No notes."), f.small, MUTED))
        written = {n.id: n.written_at for n in v.notes}
        for note in v.notes:
            label = f"{self.time(note.written_at)}"
            if note.amends is not None:
                original = written.get(note.amends)
                label += " · " + (
                    self.tr("amends the note of {time}").format(time=self.time(original))
                    if original
                    else self.tr("amendment")
                )
            if note.after_signing:
                label += " · " + self.tr("added after signing")
            blocks.extend(lines(label, f.small_bold, MUTED, keep=True))
            blocks.extend(lines(note.text, f.body, INK, indent=pt(8)))
            blocks.append(Block(pt(3), lambda p, y: None))
        blocks.append(Block(pt(4), lambda p, y: None))
        return blocks

    def _vital_row(self, vital: VitalLine) -> Block:
        f = self.fonts
        line_h = QFontMetricsF(f.small).lineSpacing()
        after, in_error = vital.after_signing, vital.entered_in_error
        columns = (
            (self.time(vital.observed_at), 0.10),
            (self.word(KIND_WORDS.get(vital.kind, vital.kind)), 0.30),
            (f"{self.locale.toString(float(vital.value), 'g', 6)} {unit_text(vital.unit)}", 0.18),
            (
                (self.tr("entered in error") if in_error else "")
                + (" " + self.tr("added after signing") if after else ""),
                0.42,
            ),
        )

        def paint(p: QPainter, y: float) -> None:
            x: float = MARGIN_X + pt(8)
            for text, share in columns:
                draw_text(p, f.small, MUTED if in_error else INK, x, y, text)
                x += share * (CONTENT_W - pt(8))

        return Block(line_h, paint)

    def _conflicts(self) -> list[Block]:
        f, d = self.fonts, self.data
        if not d.conflicts and not d.rejected_changes:
            return []
        blocks = [heading(self.tr("Not settled with the office"), f.h1, keep=True, rule=True)]
        if d.rejected_changes:
            blocks.extend(
                lines(
                    self.tr(
                        "{count} change(s) were refused by the office and are set aside on the tablet."
                    ).format(count=d.rejected_changes),
                    f.body,
                    ALERT,
                )
            )
        for c in d.conflicts:
            what = f"{c.entity.replace('_', ' ')} {str(c.record_id)[:8]} · {c.field.replace('_', ' ')}"
            text = self.tr("Conflict: {what} ({reason})").format(what=what, reason=c.reason)
            blocks.extend(lines(text, f.small, INK))
        return blocks

    def _times_text(self, label: str, t: TimeLine) -> str:
        if t.effective is None:
            return self.tr("{label}: not recorded").format(label=label)
        text = f"{label}: {self.time(t.effective)}"
        if t.correction_reason is not None:
            recorded = self.time(t.recorded) if t.recorded is not None else self.tr("none")
            why = self.word(CORRECTION_WORDS.get(t.correction_reason, t.correction_reason.replace("_", " ")))
            comment = f", “{t.correction_comment}”" if t.correction_comment else ""
            text += " " + self.tr(
                "(corrected by hand, reason: {why}{comment}; recorded reading: {recorded})"
            ).format(why=why, comment=comment, recorded=recorded)
        return text

    def time(self, value: datetime | None, *, seconds: bool = False) -> str:
        if value is None:
            return "—"
        return value.astimezone(self.zone).strftime("%H:%M:%S" if seconds else "%H:%M")

    def day_words(self) -> str:
        """The report's day in words ("Friday 4 December 2026"), as the report's language writes it."""
        d = self.data.day
        return self.locale.toString(QDate(d.year, d.month, d.day), self.tr("dddd d MMMM yyyy"))

    def hours(self, minutes: float) -> str:
        """``hours`` with the report's decimal separator."""
        return self.locale.toString(minutes / 60, "f", 2)

    def _short_evv(self, element: str) -> str:
        return self.tr(SHORT_EVV.get(element, element))

    def zone_label(self) -> str:
        return f"({self.data.zone})"


def hours(minutes: float) -> str:
    """Minutes as hours with two decimals, as payroll reads them: 95 minutes -> "1.58"."""
    return f"{minutes / 60:.2f}"


# The visit-verification elements as the visits table's narrow column names them.
SHORT_EVV = {
    "date of service": QT_TRANSLATE_NOOP("Sections", "date"),
    "location of service": QT_TRANSLATE_NOOP("Sections", "location"),
    "begin and end times": QT_TRANSLATE_NOOP("Sections", "times"),
    "type of service": QT_TRANSLATE_NOOP("Sections", "service"),
    "person receiving the service": QT_TRANSLATE_NOOP("Sections", "recipient"),
    "person providing the service": QT_TRANSLATE_NOOP("Sections", "provider"),
}
