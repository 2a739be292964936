"""The fleet routes' answers."""

from __future__ import annotations

import uuid

from fieldapp.server.schemas import Answer


class Retired(Answer):
    """The devices an account's disabling retired."""

    user_id: uuid.UUID
    devices: list[str]
