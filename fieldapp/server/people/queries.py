"""The worker's and the agency's cards as the server keeps them (users' columns and the agency row)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from fieldapp.domain.entities import describe
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.language import phrase
from fieldapp.domain.people import AgencyCard, Credential, WorkerCard
from fieldapp.domain.schedule import zone_of
from fieldapp.server.core import agency
from fieldapp.server.errors import NotFound
from fieldapp.server.listing import THRESHOLDS
from fieldapp.server.models import Agency, User
from fieldapp.server.settings import Settings

CREDENTIALS = tuple(c.value for c in Credential)
C = TypeVar("C", WorkerCard, AgencyCard)


def worker_card(session: Session, user_id: uuid.UUID) -> WorkerCard:
    """The card of one user; NotFound for an unknown id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(phrase("no such user"))
    return _card(user)


def worker_cards(session: Session, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, WorkerCard]:
    """The cards of several users (unknown ids left out), for lists that name people."""
    wanted = list(set(user_ids))
    if not wanted:
        return {}
    return {u.id: _card(u) for u in session.scalars(sa.select(User).where(User.id.in_(wanted)))}


def save_worker_card(session: Session, user_id: uuid.UUID, values: dict[str, Any]) -> WorkerCard:
    """Set a user's full name, credential and phone (``values`` may hold any of them); validated first,
    nothing changes on a bad value. Raises ValidationError naming the field, NotFound for an unknown id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(phrase("no such user"))
    unknown = set(values) - {"full_name", "credential", "phone"}
    if unknown:
        raise ValidationError("worker", dict.fromkeys(sorted(unknown), "not a field of a worker's card"))
    current = _card(user).model_dump()
    card = _validated(WorkerCard, "worker", {**current, **_cleared(values)})
    if card.credential and card.credential not in CREDENTIALS:
        raise ValidationError(
            "worker", {"credential": phrase("one of %(names)s, or none", names=", ".join(CREDENTIALS))}
        )
    user.full_name, user.credential, user.phone = card.full_name, card.credential, card.phone
    return card


UNITS = ("temperature_unit", "weight_unit")
AGENCY_FIELDS = ("name", "address", "phone", "time_zone", *THRESHOLDS, *UNITS)
"""The agency card's fields the office sets (the time zone: the server's setting until the agency chooses)."""
_PLAIN = tuple(name for name in AGENCY_FIELDS if name not in ("time_zone", *UNITS))


def agency_card(session: Session, settings: Settings) -> AgencyCard:
    """The agency's card; its time zone is the one the agency chose, else the server's setting."""
    row = session.get(Agency, 1)
    values: dict[str, Any] = {"time_zone": agency.zone_name(session, settings)}
    if row is not None:
        values |= {name: getattr(row, name) for name in AGENCY_FIELDS if name != "time_zone"}
    return _validated(AgencyCard, "agency", values)


def save_agency_card(session: Session, settings: Settings, values: dict[str, Any]) -> AgencyCard:
    """Set the agency's name, address, phone, time zone, late grace, verification thresholds and vital units;
    validated first, nothing changes on a bad value (ValidationError naming the field). A new time zone files
    the visits under their days in it (the board, the week view and the exports select visits by that day)."""
    unknown = set(values) - set(AGENCY_FIELDS)
    if unknown:
        raise ValidationError("agency", dict.fromkeys(sorted(unknown), "not a field of the agency's card"))
    current = agency_card(session, settings).model_dump()
    card = _validated(AgencyCard, "agency", {**current, **_cleared(values)})
    try:
        zone = zone_of(card.time_zone)
    except ValueError as exc:
        raise ValidationError("agency", {"time_zone": exc.args[0]}) from None
    row = session.get(Agency, 1)
    if row is None:
        row = Agency(id=1)
        session.add(row)
    for name in _PLAIN:
        setattr(row, name, getattr(card, name))
    row.temperature_unit, row.weight_unit = card.temperature_unit.value, card.weight_unit.value
    if "time_zone" in values:
        row.time_zone = card.time_zone  # chosen: the server's setting no longer stands for it
    if card.time_zone != current["time_zone"]:
        session.flush()
        agency.redate_visits(session, zone)
    return card


def _cleared(values: dict[str, Any]) -> dict[str, Any]:
    # An empty phone is no phone (the cards keep None, which a phone pattern would refuse as "").
    return {k: None if k == "phone" and v == "" else v for k, v in values.items()}


def _card(user: User) -> WorkerCard:
    return WorkerCard.model_construct(
        username=user.username,
        full_name=user.full_name or "",
        credential=user.credential or "",
        phone=user.phone,
    )


def _validated(cls: type[C], what: str, values: dict[str, Any]) -> C:
    try:
        return cls.model_validate(values)
    except PydanticValidationError as exc:
        raise ValidationError(what, describe(exc)) from None
