"""Which clock stamps a pushed change may carry (decision 0014).

A change's stamp is the device's claim of when it wrote; a field's base is its claim of what it had seen
when it wrote. The merge believes both (0002: a write that "knew" the current value supersedes it without
a conflict), so both are checked before anything is merged:

- every stamp, base and tombstone is a well-formed clock stamp;
- the change's own stamps and its tombstone were made by the pushing device;
- every wall time lies between ``STAMP_FLOOR`` and the server's now plus the allowed clock lead;
- a base is never newer than the stamp the server holds for that field (within a batch, the server holds
  the batch's earlier changes by then); where the server holds no value for the field (a new record), a
  change cannot have seen one, so it carries no base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import RecordState
from fieldapp.sync.protocol import Mutation

STAMP_FLOOR = datetime(2020, 1, 1, tzinfo=UTC)
"""No stamp, base or tombstone is older than this: the product did not exist before it."""
STAMP_FLOOR_MS = int(STAMP_FLOOR.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class StampProblem:
    """Why a change's stamps are refused: a stable code, a sentence, and the fields concerned."""

    code: str
    message: str
    problems: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Bounds:
    """What the check needs to know about the moment and the pusher."""

    device_id: str
    now_ms: int
    ahead_ms: int

    @property
    def latest_ms(self) -> int:
        """The latest wall time a stamp may carry."""
        return self.now_ms + self.ahead_ms


def check(mutation: Mutation, held: RecordState, bounds: Bounds) -> StampProblem | None:
    """The first problem with ``mutation``'s stamps against what the server ``held`` for its record."""
    own = [(name, change.s) for name, change in mutation.changes.items()]
    if mutation.deleted is not None:
        own.append(("_deleted", mutation.deleted))
    for name, text in own:
        problem = _own_stamp(name, text, bounds)
        if problem is not None:
            return problem
    for name, change in mutation.changes.items():
        if change.b is not None:
            problem = _base(name, change.b, held, bounds)
            if problem is not None:
                return problem
    return None


def _decode(name: str, text: str) -> Stamp | StampProblem:
    try:
        return Stamp.decode(text)
    except ValueError:
        return StampProblem("bad_stamp", f"{_what(name)} is not a clock stamp", {name: "not a clock stamp"})


def _own_stamp(name: str, text: str, bounds: Bounds) -> StampProblem | None:
    stamp = _decode(name, text)
    if isinstance(stamp, StampProblem):
        return stamp
    if stamp.node != bounds.device_id:
        return StampProblem("foreign_stamp", f"stamp {stamp} was not made by this device")
    if stamp.wall_ms > bounds.latest_ms:
        return StampProblem(
            "clock_ahead",
            "the change is stamped in the future; the tablet's clock is ahead "
            f"by {(stamp.wall_ms - bounds.now_ms) // 1000} s (re-stamp after measuring the offset)",
        )
    if stamp.wall_ms < STAMP_FLOOR_MS:
        return _too_old(name, stamp)
    return None


def _base(name: str, text: str, held: RecordState, bounds: Bounds) -> StampProblem | None:
    base = _decode(name, text)
    if isinstance(base, StampProblem):
        return base
    if base.wall_ms < STAMP_FLOOR_MS:
        return _too_old(name, base)
    if base.wall_ms > bounds.latest_ms:
        return StampProblem(
            "base_in_future",
            f"field {name} claims to replace a value written {_when(base)}, after the server's clock; "
            "nothing can have been seen from the future",
            {name: "base stamp in the future"},
        )
    current = held.fields.get(name)
    if current is None:
        return StampProblem(
            "base_unseen",
            f"field {name} claims to replace a value the server never held",
            {name: "base names a value the server never held"},
        )
    if base > current.stamp:
        return StampProblem(
            "base_unseen",
            f"field {name} claims to replace a value newer than the one the server holds",
            {name: "base is newer than the server's value"},
        )
    return None


def _too_old(name: str, stamp: Stamp) -> StampProblem:
    return StampProblem(
        "stamp_too_old",
        f"{_what(name)} is dated {_when(stamp)}, before {STAMP_FLOOR.date().isoformat()}; "
        "the tablet's clock is wrong",
        {name: "stamp before " + STAMP_FLOOR.date().isoformat()},
    )


def _what(name: str) -> str:
    return "the deletion's stamp" if name == "_deleted" else f"a stamp of field {name}"


def _when(stamp: Stamp) -> str:
    try:
        return datetime.fromtimestamp(stamp.wall_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, ValueError, OSError):  # beyond the year 9999
        return f"{stamp.wall_ms} ms after 1970"
