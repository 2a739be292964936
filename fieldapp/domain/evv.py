"""Electronic visit verification (21st Century Cures Act, section 12006): the six required elements."""

from __future__ import annotations

from enum import StrEnum

from fieldapp.domain.entities import Visit


class EvvElement(StrEnum):
    """The elements every verified visit must carry."""

    SERVICE_TYPE = "type of service"
    RECIPIENT = "person receiving the service"
    DATE = "date of service"
    LOCATION = "location of service"
    PROVIDER = "person providing the service"
    TIMES = "begin and end times"


def missing_evv(visit: Visit) -> list[EvvElement]:
    """The elements this visit still lacks, in the order above; empty when the visit is verifiable."""
    # Service type, recipient and provider are required fields of every Visit, so never missing here.
    missing = []
    if visit.effective_check_in is None:
        missing.append(EvvElement.DATE)
    if visit.check_in is None or visit.check_in.location is None:
        missing.append(EvvElement.LOCATION)
    if visit.effective_check_in is None or visit.effective_check_out is None:
        missing.append(EvvElement.TIMES)
    return missing
