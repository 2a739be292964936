"""The base of the office's administration answers; each area keeps its own in ``<area>/schemas.py``
(the device protocol is in ``fieldapp.sync.protocol``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """Base of the administration answers (read from ORM rows and dataclasses)."""

    model_config = ConfigDict(from_attributes=True, frozen=True)
