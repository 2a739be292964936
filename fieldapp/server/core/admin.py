"""Administration: office writes made on the server itself (demo data), through the same push path."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import demodata
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, data_fields
from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload
from fieldapp.server.core import push as sync_service
from fieldapp.server.core.agency import agency_zone
from fieldapp.server.models import Agency, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import MAX_BATCH, FieldChange, Mutation, PushRequest, Role

SERVER_NODE = "server0"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo sign-in to print for the person running the demo."""

    username: str
    password: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("office", "office-demo-1", Role.OFFICE),
    DemoAccount("nurse", "nurse-demo-1", Role.WORKER),
    DemoAccount("aide", "aide-demo-1", Role.WORKER),
)
DEMO_PATIENTS = 300
CASELOADS = {"nurse": (0, 120, 7), "aide": (120, 180, 5)}  # patients [from, to) and visits today


def write_records(
    session: Session, settings: Settings, author: User, records: Iterable[Entity], now: datetime
) -> int:
    """Create records as ``author`` would from the office, stamped by the server's clock."""
    clock = HybridClock(SERVER_NODE)
    principal = Principal(author.id, author.username, Role(author.role), SERVER_NODE, uuid.uuid4())
    mutations = [_creation(record, clock) for record in records]
    for start in range(0, len(mutations), MAX_BATCH):
        request = PushRequest(device_id=SERVER_NODE, mutations=mutations[start : start + MAX_BATCH])
        sync_service.push(session, principal, request, settings, now)
    return len(mutations)


def seed_demo(session: Session, settings: Settings, now: datetime) -> list[DemoAccount]:
    """Demo accounts, generated patients, caseloads and today's visits; refuses to run twice."""
    if session.scalar(select(User).where(User.username == DEMO_ACCOUNTS[0].username)) is not None:
        raise ValueError("this database already holds the demo data")
    users = {
        a.username: auth.create_user(session, a.username, a.password, a.role, now) for a in DEMO_ACCOUNTS
    }
    _name_people(session, users, settings)
    session.flush()
    patients = list(demodata.patients(DEMO_PATIENTS))
    zone = agency_zone(session, settings)
    today = now.astimezone(zone).date()
    visits = []
    for name, (first, last, count) in CASELOADS.items():
        ids = [p.id for p in patients[first:last]]
        visits += list(demodata.visits_for_day(ids[:count], users[name].id, today, seed=first, zone=zone))
    write_records(session, settings, users["office"], [*patients, *visits], now)
    for name, (first, last, _) in CASELOADS.items():
        for patient in patients[first:last]:
            caseload.assign(session, users[name].id, patient.id, now)
    return list(DEMO_ACCOUNTS)


def _name_people(session: Session, users: dict[str, User], settings: Settings) -> None:
    """The demo's cards: full names, credentials and phones, and the agency (in the server's zone)."""
    for name, user in users.items():
        card = demodata.WORKER_CARDS[name]
        user.full_name, user.credential, user.phone = card.full_name, card.credential, card.phone
    agency = demodata.agency_card(settings.agency_timezone)
    row = session.get(Agency, 1) or Agency(id=1)
    row.name, row.address, row.phone, row.time_zone = (
        agency.name,
        agency.address,
        agency.phone,
        agency.time_zone,
    )
    session.add(row)


def _creation(record: Entity, clock: HybridClock) -> Mutation:
    stamp = clock.now().encode()
    wire = record.model_dump(mode="json")
    changes = {name: FieldChange(v=wire[name], s=stamp) for name in data_fields(type(record))}
    return Mutation(mutation_id=uuid.uuid4(), entity=record.entity_name, record_id=record.id, changes=changes)
