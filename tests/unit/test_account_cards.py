"""The worker's and the agency's cards: validated, read leniently from the server, kept in the profile."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError as PydanticValidationError

from fieldapp.config import Profile
from fieldapp.domain.people import AgencyCard, Credential, WorkerCard
from fieldapp.sync.protocol import AccountProfile

ANA = WorkerCard(username="ana", full_name="Ana López", credential="HHA", phone="555-0142")
AGENCY = AgencyCard(
    name="Sunrise Home Care", address="12 Main St", time_zone="America/New_York", late_after_min=10
)


def test_the_profile_keeps_the_cards_for_offline_starts(tmp_path: Path) -> None:
    profile = Profile(tmp_path / "p")
    assert profile.load_account() == (WorkerCard(), AgencyCard()), "none kept yet: empty cards"
    profile.save_account(ANA, AGENCY)
    assert profile.load_account() == (ANA, AGENCY)


def test_an_unusable_account_file_gives_empty_cards(tmp_path: Path) -> None:
    profile = Profile(tmp_path)
    profile.account_path.write_text('{"worker": {"credential": "not a credential!"}, "agency": {}}')
    assert profile.load_account() == (WorkerCard(), AgencyCard())
    profile.account_path.write_text("[1, 2")
    assert profile.load_account() == (WorkerCard(), AgencyCard())


def test_a_newer_servers_fields_are_ignored_and_missing_ones_default() -> None:
    body = {
        "worker": {**ANA.model_dump(mode="json"), "languages": ["es"]},
        "agency": {"name": "Sunrise Home Care", "npi": "1234567890"},
        "payroll": {},
    }
    answer = AccountProfile.parse(orjson.dumps(body))
    assert answer.worker == ANA and answer.agency == AgencyCard(name="Sunrise Home Care")
    assert AccountProfile.parse(b"{}") == AccountProfile()
    with pytest.raises(ValueError):
        AccountProfile.parse(b"[]")
    with pytest.raises(ValueError):
        AccountProfile.parse(json.dumps({"agency": {"late_after_min": -1}}).encode())


@pytest.mark.parametrize(
    ("card", "values", "field"),
    [
        (AgencyCard, {"time_zone": "Mars/Olympus Mons"}, "time_zone"),  # a space: no zone name has one
        (AgencyCard, {"time_zone": "new york"}, "time_zone"),
        (AgencyCard, {"late_after_min": 241}, "late_after_min"),
        (AgencyCard, {"phone": "call me"}, "phone"),
        (WorkerCard, {"credential": "R.N."}, "credential"),
        (WorkerCard, {"full_name": "two\nlines"}, "full_name"),
    ],
)
def test_bad_card_values_are_refused(
    card: type[AgencyCard] | type[WorkerCard], values: dict[str, object], field: str
) -> None:
    with pytest.raises(PydanticValidationError) as caught:
        card.model_validate(values)
    assert field in str(caught.value)


def test_the_usual_credentials_are_codes_a_card_accepts() -> None:
    for credential in Credential:
        assert WorkerCard(credential=credential.value.lower()).credential == credential.value
