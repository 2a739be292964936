"""The office's audit page: users by name and by id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.listing import (
    usernames,
)
from fieldapp.server.models import User

# -- audit ---------------------------------------------------------------------------------------------------


def user_id_named(session: Session, username: str) -> uuid.UUID | None:
    """The id of the user with this name (names are case-insensitive), or None."""
    return session.scalar(sa.select(User.id).where(User.username == username.strip().lower()))


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """User names by id, for the audit page's API accesses."""
    return usernames(session, {i for i in ids if i is not None})
