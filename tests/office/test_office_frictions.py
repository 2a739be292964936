"""The office's frictions of issue 20, over HTTP on SQLite and PostgreSQL: allergies entered as rows
(added, removed, refused, without script), vital signs by name and unit, service codes with their
descriptions, audit entries that name the patient and the visit."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent
from fieldapp.server.models import Record
from tests.office.conftest import Browser, Users
from tests.office.i18n_pages import SPANISH
from tests.office.test_pages import NEW_PATIENT, patients_count, record
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload, rows

ROWS = {
    "allergy_substance_0": "Penicillin",
    "allergy_reaction_0": "hives",
    "allergy_severity_0": "severe",
    "allergy_substance_1": "Latex",
    "allergy_reaction_1": "",
    "allergy_severity_1": "unknown",
    "allergy_substance_2": "Dust",
    "allergy_reaction_2": "sneezing",
    "allergy_severity_2": "mild",
    "allergy_remove_2": "1",
    "allergy_substance_3": "",
    "allergy_reaction_3": "",
    "allergy_severity_3": "unknown",
    "allergy_blank": "2",
}


def _new_patient(**changes: str) -> dict[str, str]:
    form = {k: v for k, v in NEW_PATIENT.items() if k != "allergies"}
    return form | ROWS | changes


def test_allergies_are_rows_a_removed_or_empty_row_is_left_out(
    signed_in: Browser, client: TestClient
) -> None:
    blank = signed_in.get("/office/patients/new").text
    assert blank.count('name="allergy_substance_') == 2 and '<th scope="col">Severity</th>' in blank
    saved = signed_in.post("/office/patients/new", _new_patient())
    assert saved.status_code == 303, saved.text
    patient_id = uuid.UUID(saved.headers["location"].split("/")[3].split("?")[0])
    assert record(client, patient_id).fields["allergies"] == [
        {"substance": "Penicillin", "reaction": "hives", "severity": "severe"},
        {"substance": "Latex", "reaction": "", "severity": "unknown"},
    ]
    page = signed_in.get(f"/office/patients/{patient_id}").text
    assert page.count('name="allergy_substance_') == 4  # the two allergies and two empty rows
    assert page.count('name="allergy_remove_') == 2
    assert re.search(
        r'name="allergy_severity_0">(<option[^>]*>\w+</option>)*<option value="severe" selected>', page
    )


def test_an_unchanged_allergy_table_sends_nothing_and_a_ticked_row_is_removed(
    signed_in: Browser, client: TestClient
) -> None:
    saved = signed_in.post("/office/patients/new", _new_patient())
    path = saved.headers["location"].split("?")[0]
    patient_id = uuid.UUID(path.split("/")[3])
    before = record(client, patient_id).stamps
    unchanged = signed_in.post(path, signed_in.form_values(path))
    assert unchanged.status_code == 303 and unchanged.headers["location"].endswith("ok=unchanged")
    assert record(client, patient_id).stamps == before
    removed = signed_in.post(path, signed_in.form_values(path) | {"allergy_remove_0": "1"})
    assert removed.status_code == 303 and removed.headers["location"].endswith("ok=saved")
    fields = record(client, patient_id).fields
    assert fields["allergies"] == [{"substance": "Latex", "reaction": "", "severity": "unknown"}]
    added = signed_in.form_values(path) | {"allergy_substance_1": "Iodine", "allergy_severity_1": "moderate"}
    assert signed_in.post(path, added).status_code == 303
    assert [a["substance"] for a in record(client, patient_id).fields["allergies"]] == ["Latex", "Iodine"]


def test_more_rows_shows_more_empty_rows_and_saves_nothing(signed_in: Browser, client: TestClient) -> None:
    before = patients_count(client)
    more = signed_in.post("/office/patients/new", _new_patient(more_allergies="1"))
    assert more.status_code == 200 and patients_count(client) == before
    assert more.text.count('name="allergy_substance_') == 2 + 4  # the two kept rows, four empty ones
    assert 'value="Penicillin"' in more.text and 'value="Lindqvist"' in more.text
    assert "Dust" not in more.text  # the row ticked Remove is gone


def test_an_allergy_holding_the_separator_is_refused_and_nothing_is_stored(
    signed_in: Browser, client: TestClient
) -> None:
    before = rows(client, Record)
    refused = signed_in.post("/office/patients/new", _new_patient(allergy_substance_0="Pollen | grass"))
    assert refused.status_code == 422 and "Nothing was saved" in refused.text
    assert 'id="allergies-problem">row 1: an allergy cannot contain the character |' in refused.text
    assert rows(client, Record) == before


def _visit_with_vitals(client: TestClient, office: Device, nurse: Device, users: Users) -> tuple[Any, Any]:
    p = patient_on_caseload(client, office, users.nurse)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    visit = h.visit(p.id, users.nurse, start)
    office.push_ok(office.create(visit))
    nurse.pull_all()
    readings = [
        h.observation(visit, kind="temperature", value=100.4, unit="[degF]", observed_at=start),
        h.observation(visit, kind="systolic_bp", value=132, unit="mmHg", observed_at=start),
    ]
    nurse.push_ok(*[nurse.create(r) for r in readings])
    return p, visit


def test_vitals_read_by_name_and_unit_and_services_with_their_description(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    _, visit = _visit_with_vitals(client, office, nurse, users)
    page = signed_in.get(f"/office/visits/{visit.id}").text
    assert "<td>Temperature</td>" in page and "<td>°F</td>" in page and "100.4" in page
    assert "<td>Systolic blood pressure</td>" in page and "<td>mmHg</td>" in page
    assert "[degF]" not in page and "systolic bp" not in page
    assert "G0156 Home health aide services (per 15 min)" in page
    board = signed_in.get(f"/office/visits?day={visit.scheduled_start.date().isoformat()}").text
    assert "<td>G0156 Home health aide services (per 15 min)</td>" in board
    spanish = signed_in.get(f"/office/visits/{visit.id}", headers=SPANISH).text
    assert "<td>Presión arterial sistólica</td>" in spanish and "100,4" in spanish
    assert "G0156 Servicios de auxiliar de atención domiciliaria (por 15 min)" in spanish
    form = signed_in.get(f"/office/schedule/visits/{visit.id}").text
    assert '<option value="T1019">T1019 Personal care (per 15 min)</option>' in form


def _events(nurse: Device, *about: tuple[str, uuid.UUID]) -> dict[str, Any]:
    events, previous = [], GENESIS
    for seq, (entity, record_id) in enumerate(about, start=1):
        content = AuditContent(
            uuid.uuid4(),
            seq,
            1_790_000_000_000 + seq,
            "nurse",
            AuditAction.VIEW,
            entity,
            record_id,
            "",
            previous,
        )
        previous = content.digest()
        events.append(
            {"id": str(content.id), "seq": seq, "at_ms": content.at_ms, "username": "nurse", "action": "view"}
            | {"entity": entity, "record_id": str(record_id), "detail": "", "prev_hash": content.prev_hash}
            | {"hash": previous}
        )
    return {"device_id": nurse.device_id, "events": events}


def test_audit_entries_name_the_patient_and_the_visits_day_and_worker(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p, visit = _visit_with_vitals(client, office, nurse, users)
    note = h.note(visit, users.nurse)
    nurse.push_ok(nurse.create(note))
    body = _events(nurse, ("patient", p.id), ("visit", visit.id), ("visit_note", note.id))
    assert client.post("/audit/events", headers=nurse.headers, json=body).status_code == 200
    page = signed_in.get("/office/audit?user=nurse").text
    name = f"{p.family_name}, {p.given_name}"
    assert page.count(f'<a href="/office/patients/{p.id}">{name}</a>') == 3
    when = visit.scheduled_start
    day = f"{when:%a} {when.day} {when:%b} {when.year}"
    assert page.count(f'<a class="small" href="/office/visits/{visit.id}">visit of {day} 09:00</a>') == 2
    assert page.count("· nurse</span>") == 2 and "visit note" in page
    spanish = signed_in.get("/office/audit?user=nurse", headers=SPANISH).text
    assert "nota de visita" in spanish and spanish.count(">visita del ") == 2
