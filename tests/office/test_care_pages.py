"""The office's care pages, on SQLite and PostgreSQL: a patient's plan of care and medications kept from the
browser (through the tablets' push path, field by field), the visit page with the task outcomes and the
photos, the patient's task history, and each photo view in the access log."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.care import Outcome, TaskOutcome, outcome_id
from fieldapp.server.models import ApiAccess, Record
from tests import factories
from tests.office.conftest import Browser
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload
from tests.server.test_care import _outcome
from tests.server.test_care import _visit as _care_visit

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20


def _records(client: TestClient, entity: str, patient_id: uuid.UUID) -> list[Record]:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return list(
            session.scalars(sa.select(Record).where(Record.entity == entity, Record.patient_id == patient_id))
        )


def test_the_office_keeps_the_plan_of_care_and_the_medications(
    client: TestClient, signed_in: Browser, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, nurse.user_id)
    page = signed_in.get(f"/office/patients/{p.id}/care")
    assert page.status_code == 200 and "No tasks on the plan of care yet." in page.text
    added = signed_in.post(
        f"/office/patients/{p.id}/tasks",
        {
            "code": "ADL-BATH",
            "title": "",
            "frequency": "weekdays",
            "day0": "1",
            "day3": "1",
            "instructions": "Shower chair.",
            "position": "0",
        },
    )
    assert added.status_code == 303, added.text
    [task] = _records(client, "care_task", p.id)
    assert (task.fields["code"], task.fields["weekdays"]) == ("ADL-BATH", [0, 3])
    refused = signed_in.post(
        f"/office/patients/{p.id}/tasks", {"code": "", "title": "", "frequency": "every_visit"}
    )
    assert (
        refused.status_code == 422
        and "Nothing was saved" in refused.text
        and "free task needs a title" in refused.text
    )
    assert len(_records(client, "care_task", p.id)) == 1
    signed_in.post(
        f"/office/patients/{p.id}/medications",
        {
            "name": "Warfarin",
            "strength": "5 mg",
            "dose": "1 tablet",
            "frequency": "once a day",
            "prescriber": "Dr. Okafor",
            "route": "oral",
            "start_date": "2026-11-01",
            "notes": "",
        },
    )
    [med] = _records(client, "medication", p.id)
    nurse.pull_all()
    nurse_edit = nurse.update("medication", med.id, {"dose": "half a tablet"})  # offline on the tablet
    values = signed_in.form_values(
        f"/office/patients/{p.id}/care", f"/office/patients/{p.id}/medications/{med.id}"
    )
    values["prescriber"] = "Dr. Lee Chen"
    saved = signed_in.post(f"/office/patients/{p.id}/medications/{med.id}", values, csrf=None)
    assert saved.status_code == 303, saved.text
    nurse.push_ok(nurse_edit)
    [med] = _records(client, "medication", p.id)
    assert (med.fields["dose"], med.fields["prescriber"]) == ("half a tablet", "Dr. Lee Chen")
    page = signed_in.get(f"/office/patients/{p.id}/care")
    assert "Warfarin 5 mg, half a tablet oral, once a day" in page.text


def test_the_visit_page_shows_outcomes_and_photos_and_each_view_is_logged(
    client: TestClient, signed_in: Browser, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, nurse.user_id)
    v = h.visit(p.id, nurse.user_id)
    bath, meal = (
        factories.care_task(p.id, position=0),
        factories.care_task(p.id, code="IADL-MEAL", position=1),
    )
    office.push_ok(office.create(v), office.create(bath), office.create(meal))
    refused = TaskOutcome(
        id=outcome_id(v.id, bath.id),
        visit_id=v.id,
        patient_id=p.id,
        task_id=bath.id,
        code=bath.code,
        title=bath.label,
        outcome=Outcome.REFUSED,
        reason="Asleep",
        recorded_at=datetime.now(UTC),
    )
    sha = hashlib.sha256(JPEG).hexdigest()
    headers = {
        **nurse.headers,
        "Upload-Offset": "0",
        "Upload-Length": str(len(JPEG)),
        "Upload-Type": "image/jpeg",
    }
    assert client.patch(f"/uploads/{sha}", content=JPEG, headers=headers).json()["complete"]
    photo = h.entity_type("attachment")(
        patient_id=p.id,
        visit_id=v.id,
        sha256=sha,
        media_type="image/jpeg",
        byte_size=len(JPEG),
        caption="Left heel",
        source="camera",
        taken_at=datetime.now(UTC),
    )
    nurse.push_ok(nurse.create(refused), nurse.create(photo))
    page = signed_in.get(f"/office/visits/{v.id}")
    assert page.status_code == 200
    assert "Patient refused" in page.text and "Asleep" in page.text and "Meal preparation" in page.text
    assert f'src="/office/attachments/{photo.id}"' in page.text
    shown = signed_in.get(f"/office/attachments/{photo.id}")
    assert (
        shown.status_code == 200 and shown.content == JPEG and shown.headers["content-type"] == "image/jpeg"
    )
    client.app.state.access_log.flush()  # type: ignore[attr-defined]
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        views = session.scalars(
            sa.select(ApiAccess).where(ApiAccess.route == "/office/attachments/{attachment_id}")
        ).all()
    assert [(a.target, a.status) for a in views] == [(str(photo.id), 200)]
    history = signed_in.get(f"/office/patients/{p.id}/task-history")
    assert history.status_code == 200 and "Bathing" in history.text and "Asleep" in history.text
    assert signed_in.get(f"/office/attachments/{uuid.uuid4()}").status_code == 404


def test_what_was_entered_in_error_shows_struck_through_with_its_reason_on_the_office_pages(
    client: TestClient, office: Device, nurse: Device, signed_in: Browser
) -> None:
    p, v, task = _care_visit(client, office, nurse)
    med, done = factories.medication(p.id), _outcome(v, task, Outcome.DONE)
    office.push_ok(office.create(med))
    nurse.pull_all()
    nurse.push_ok(nurse.create(done))
    nurse.push_ok(
        nurse.update("medication", med.id, {"entered_in_error": True, "error_reason": "Not her medication"}),
        nurse.update(
            "task_outcome", done.id, {"entered_in_error": True, "error_reason": "Tapped the wrong row"}
        ),
    )
    care = signed_in.get(f"/office/patients/{p.id}/care").text
    assert "entered in error" in care and "Not her medication" in care
    visit_page = signed_in.get(f"/office/visits/{v.id}").text
    assert "Tapped the wrong row" in visit_page and "<s>" in visit_page
    history = signed_in.get(f"/office/patients/{p.id}/task-history").text
    assert "Tapped the wrong row" in history
