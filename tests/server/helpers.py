"""A scripted device for server tests: signs in, stamps changes with its own clock, pushes and pulls."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Observation, Patient, Visit, VisitNote, data_fields, entity_type
from fieldapp.domain.merge import RecordState, merge
from fieldapp.domain.signing import digest_of

WORKER_PLACEHOLDER = uuid.UUID(int=0)
PNG = b"\x89PNG\r\n\x1a\n" + b"signature pixels"


@dataclass
class Device:
    """One signed-in device with its own hybrid logical clock and a replica of what it pulled."""

    client: TestClient
    username: str
    device_id: str
    user_id: uuid.UUID
    token: str
    refresh_token: str
    clock: HybridClock
    cursor: str | None = None
    replica: dict[uuid.UUID, tuple[str, RecordState]] = field(default_factory=dict)
    evicted: list[uuid.UUID] = field(default_factory=list)

    @classmethod
    def sign_in(cls, client: TestClient, username: str, password: str, device_id: str) -> Device:
        response = client.post(
            "/auth/login", json={"username": username, "password": password, "device_id": device_id}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return cls(
            client,
            username,
            device_id,
            uuid.UUID(body["user"]["id"]),
            body["access_token"],
            body["refresh_token"],
            HybridClock(device_id),
        )

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # -- building mutations ---------------------------------------------------------------------------------

    def create(self, record: Entity) -> dict[str, Any]:
        stamp = self.clock.now().encode()
        wire = record.model_dump(mode="json")
        changes = {name: {"v": wire[name], "s": stamp} for name in data_fields(type(record))}
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": record.entity_name,
            "record_id": str(record.id),
            "changes": changes,
        }

    def update(
        self, entity: str, record_id: uuid.UUID, changes: dict[str, Any], base: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """A change made on top of what this device last pulled (its stamps are the bases)."""
        stamp = self.clock.now().encode()
        known = self.replica.get(record_id)
        bases = {name: v.stamp.encode() for name, v in known[1].fields.items()} if known else {}
        bases.update(base or {})
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": str(record_id),
            "changes": {
                name: {"v": value, "s": stamp, "b": bases.get(name)} for name, value in changes.items()
            },
        }

    def delete(self, entity: str, record_id: uuid.UUID) -> dict[str, Any]:
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": str(record_id),
            "deleted": self.clock.now().encode(),
        }

    # -- talking to the server ----------------------------------------------------------------------

    def push(self, *mutations: dict[str, Any], pending: int = 0, cursor: bool = False) -> Response:
        """POST a batch; ``cursor``: send this device's cursor, as the tablet's engine does."""
        body = {"device_id": self.device_id, "mutations": list(mutations), "pending": pending}
        if cursor and self.cursor:
            body["cursor"] = self.cursor
        return self.client.post("/sync/push", headers=self.headers, json=body)

    def push_ok(self, *mutations: dict[str, Any], cursor: bool = False) -> dict[str, Any]:
        response = self.push(*mutations, cursor=cursor)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def pull_page(self, limit: int = 1000) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if self.cursor:
            params["cursor"] = self.cursor
        response = self.client.get("/sync/pull", headers=self.headers, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        for change in page["changes"]:
            record_id = uuid.UUID(change["record_id"])
            incoming = _state(change)
            current = self.replica.get(record_id, (change["entity"], RecordState()))[1]
            self.replica[record_id] = (change["entity"], merge(change["entity"], current, incoming).state)
        for eviction in page["evictions"]:
            patient_id = uuid.UUID(eviction["patient_id"])
            self.evicted.append(patient_id)
            for record_id in [
                rid
                for rid, (_, st) in self.replica.items()
                if rid == patient_id
                or (
                    st.fields.get("patient_id") is not None
                    and st.fields["patient_id"].value == str(patient_id)
                )
            ]:
                del self.replica[record_id]
        self.cursor = page["cursor"]
        return page  # type: ignore[no-any-return]

    def pull_all(self, limit: int = 1000) -> list[dict[str, Any]]:
        pages = [self.pull_page(limit)]
        while pages[-1]["has_more"]:
            pages.append(self.pull_page(limit))
        return pages

    def values(self, record_id: uuid.UUID) -> dict[str, Any]:
        return self.replica[record_id][1].values()

    def upload(self, content: bytes, media_type: str = "image/png") -> str:
        sha = hashlib.sha256(content).hexdigest()
        response = self.client.put(
            f"/blobs/{sha}", content=content, headers={**self.headers, "Content-Type": media_type}
        )
        assert response.status_code in (200, 201), response.text
        return sha


def _state(change: dict[str, Any]) -> RecordState:
    from fieldapp.sync.protocol import RecordChange

    return RecordChange.model_validate(change).state()


# -- realistic records --------------------------------------------------------------------------------------


def patient(**overrides: Any) -> Patient:
    values: dict[str, Any] = dict(
        mrn=f"MRN-{uuid.uuid4().hex[:8]}",
        given_name="Ada",
        family_name="Okafor",
        date_of_birth=date(1941, 6, 30),
        sex="female",
        phone="555-0142",
        care_plan="Wound care twice weekly",
    )
    values.update(overrides)
    return Patient(**values)


def visit(
    patient_id: uuid.UUID, worker_id: uuid.UUID, start: datetime | None = None, **overrides: Any
) -> Visit:
    start = start or datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    values: dict[str, Any] = dict(
        patient_id=patient_id,
        worker_id=worker_id,
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        service_code="G0156",
    )
    values.update(overrides)
    return Visit(**values)


def note(v: Visit, author: uuid.UUID, text: str = "Patient alert and comfortable.", **kw: Any) -> VisitNote:
    return VisitNote(
        visit_id=v.id,
        patient_id=v.patient_id,
        author_id=author,
        text=text,
        written_at=datetime.now(UTC),
        **kw,
    )


def observation(v: Visit, **kw: Any) -> Observation:
    values: dict[str, Any] = dict(
        visit_id=v.id,
        patient_id=v.patient_id,
        kind="heart_rate",
        value=72,
        unit="/min",
        observed_at=datetime.now(UTC),
    )
    values.update(kw)
    return Observation(**values)


def signature_for(
    v: Visit, notes: list[VisitNote], observations: list[Observation], image_sha: str, **kw: Any
) -> Entity:
    cls = entity_type("signature")
    values: dict[str, Any] = dict(
        visit_id=v.id,
        patient_id=v.patient_id,
        strokes=[[{"x": 1, "y": 2, "t": 0, "pressure": 0.5}]],
        image_sha256=image_sha,
        signer_name="Ada Okafor",
        signer_role="patient",
        meaning="I confirm the visit took place as recorded.",
        signed_at=datetime.now(UTC),
        content_sha256=content_digest(v, notes, observations),
    )
    values.update(kw)
    signature = cls(**values)
    if "digest" in kw:  # given (None: a signature made before digests, or a forged digest)
        return signature
    return signature.model_copy(
        update={"digest": digest_of(str(signature.id), signature.model_dump(mode="json"))}
    )


def audit_events(
    count: int, *, start: int = 1, prev_hash: str = GENESIS, username: str = "nurse", action: str = "view"
) -> list[dict[str, Any]]:
    """``count`` chained audit entries as a device uploads them (seq from ``start``)."""
    events = []
    for seq in range(start, start + count):
        content = AuditContent(
            uuid.uuid4(),
            seq,
            1_790_000_000_000 + seq,
            username,
            AuditAction(action),
            "patient",
            uuid.uuid4(),
            f"entry {seq}",
            prev_hash,
        )
        prev_hash = content.digest()
        events.append(
            {
                "id": str(content.id),
                "seq": seq,
                "at_ms": content.at_ms,
                "username": username,
                "action": action,
                "entity": "patient",
                "record_id": str(content.record_id),
                "detail": content.detail,
                "prev_hash": content.prev_hash,
                "hash": prev_hash,
            }
        )
    return events
