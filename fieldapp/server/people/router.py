"""``/account`` (the signed-in worker's card and the agency's, read by tablets at sign-in and after syncs),
``/admin/users/{id}/card`` and ``/admin/agency`` (the office sets them)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from fieldapp.domain.errors import ValidationError
from fieldapp.domain.people import AgencyCard, WorkerCard
from fieldapp.server.errors import Invalid
from fieldapp.server.people import queries
from fieldapp.server.people.schemas import Account, AgencyCardEdit, WorkerCardEdit
from fieldapp.server.web.deps import Config, Office, Reads, Who, Writes

router = APIRouter(tags=["people"])


@router.get("/account", response_model=Account)
def account(who: Who, session: Reads, settings: Config) -> Account:
    """Who is signed in (full name, credential, phone) and the agency (name, address, zone, late grace)."""
    return Account(
        worker=queries.worker_card(session, who.user_id), agency=queries.agency_card(session, settings)
    )


@router.put("/admin/users/{user_id}/card", response_model=WorkerCard)
def set_worker_card(user_id: uuid.UUID, edit: WorkerCardEdit, who: Office, session: Writes) -> WorkerCard:
    """Set a user's full name, credential (RN, LPN, HHA, PCA...) and phone."""
    try:
        return queries.save_worker_card(session, user_id, edit.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise Invalid(str(exc), code="invalid_card") from None


@router.put("/admin/agency", response_model=AgencyCard)
def set_agency_card(edit: AgencyCardEdit, who: Office, session: Writes, settings: Config) -> AgencyCard:
    """Set the agency's name, address, phone, time zone, the minutes after which a visit not started is
    late, and the units tablets type and show temperatures ("[degF]" or "Cel") and weights ("[lb_av]" or
    "kg") in."""
    try:
        return queries.save_agency_card(session, settings, edit.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise Invalid(str(exc), code="invalid_card") from None
