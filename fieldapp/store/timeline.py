"""The device timeline in the store: its anchor saved, provisional stamps corrected (decision 0013).

``fieldapp.domain.devicetime`` says what time it is; this module keeps that knowledge across restarts
and applies it to the changes waiting in the outbox:

- ``resume`` rebuilds the ``DeviceTime`` from the saved anchor and the last moment known alive;
- ``save`` writes the anchor back (in the caller's transaction);
- ``correct`` moves the provisional stamps of one epoch by its correction once an exchange made the
  timeline exact, keeping every stamp above the one before it and above the value it replaced;
- ``pull_back`` re-dates changes the server refused as stamped ahead of it (``clock_ahead``), never later
  than the moment they were made.

A stamp is renamed everywhere it appears: the outbox entry, the bases of later entries, the record row,
and the local conflict log.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.clock import MAX_COUNTER, HybridClock, Stamp
from fieldapp.domain.devicetime import Anchor, AnchorKind, Correction, DeviceTime, TimeSources
from fieldapp.store.models import ROW_TYPES, ConflictRow, OutboxRow, SyncStateRow

PENDING = "pending"


def resume(state: SyncStateRow, sources: TimeSources) -> DeviceTime:
    """The device time as saved in ``state``, resumed in the boot the device is in now."""
    anchor = None
    if state.anchor_server_ms is not None and state.anchor_uptime_ms is not None and state.anchor_kind:
        anchor = Anchor(
            state.anchor_boot,
            state.anchor_uptime_ms,
            state.anchor_server_ms,
            AnchorKind(state.anchor_kind),
            state.anchor_epoch or "",
            state.anchor_error_ms or 0,
        )
    return DeviceTime(sources, anchor=anchor, alive_ms=state.alive_ms, offset_ms=state.clock_offset_ms or 0)


def save(session: Session, time: DeviceTime) -> None:
    """Write the anchor, the measured offset and the moment alive to the state row."""
    anchor = time.anchor
    values = {
        "anchor_boot": anchor.boot_id,
        "anchor_uptime_ms": anchor.uptime_ms,
        "anchor_server_ms": anchor.server_ms,
        "anchor_kind": anchor.kind.value,
        "anchor_epoch": anchor.epoch,
        "anchor_error_ms": anchor.error_ms,
        "clock_offset_ms": time.offset_ms,
    }
    if anchor.kind is not AnchorKind.WALL:  # a wall reading is no lower bound of real time
        values["alive_ms"] = time.now_ms()
    session.execute(sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(**values))


def alive_value(time: DeviceTime) -> dict[str, int]:
    """The ``alive_ms`` column's new value, for a statement that updates the state row anyway."""
    return {} if time.anchor.kind is AnchorKind.WALL else {"alive_ms": time.now_ms()}


def has_provisional(session: Session, epoch: str) -> bool:
    """Whether changes stamped on ``epoch`` still wait to be sent."""
    query = sa.select(OutboxRow.seq).where(OutboxRow.status == PENDING, OutboxRow.epoch == epoch).limit(1)
    return session.scalar(query) is not None


def provisional_epochs(session: Session) -> set[str]:
    """The epochs of pending changes that are still provisional."""
    query = sa.select(OutboxRow.epoch).where(OutboxRow.status == PENDING, OutboxRow.epoch.is_not(None))
    return {epoch for epoch in session.scalars(query.distinct()) if epoch}


def correct(session: Session, clock: HybridClock, correction: Correction) -> int:
    """Re-date the pending changes of ``correction.epoch`` on the exact timeline; returns how many moved.

    Each keeps its order: above the change before it and above the stamp it replaced. A lower bound only
    ever moves up (the edit cannot have been made earlier than the device was known to be alive); a wall
    reading moves either way, and the clock is set back with it so that it does not go on stamping ahead.
    """
    renamed: dict[str, str] = {}
    newest: Stamp | None = None
    previous: Stamp | None = None
    for row in _pending(session):
        stamp = _stamp_of(row)
        if row.epoch != correction.epoch or row.physical_ms is None:
            previous = _max(previous, Stamp.decode(renamed.get(stamp.encode(), stamp.encode())))
            continue
        made = max(0, row.physical_ms + correction.delta_ms)  # the moment made, on the exact timeline
        target = Stamp(made, 0, clock.node)
        if correction.kind is AnchorKind.LOWER_BOUND:
            target = max(target, stamp)
        new = _after(target, previous, _bases(row, renamed))
        _rename(session, row, stamp, new, renamed)
        row.epoch, row.physical_ms = None, made
        previous = newest = new
    _rename_elsewhere(session, renamed)
    if newest is not None:
        _settle_clock(session, clock, newest, rewind=correction.kind is AnchorKind.WALL)
    return len(renamed)


def settle(session: Session, clock: HybridClock, time: DeviceTime) -> bool:
    """Correct the pending changes of epochs corrected earlier in this process, keep the lower bounds of
    epochs that ended without an exchange; returns whether changes of the current provisional epoch wait
    (the caller must exchange with the server before sending them)."""
    current = time.provisional_epoch
    ended = []
    for epoch in provisional_epochs(session):
        if epoch in time.corrections:
            correct(session, clock, time.corrections[epoch])
        elif epoch != current:
            ended.append(epoch)
    finalize(session, ended)
    return current is not None and has_provisional(session, current)


def finalize(session: Session, epochs: Iterable[str]) -> None:
    """Keep the lower-bound stamps of epochs that ended without an exchange: they are final now."""
    epochs = list(epochs)
    if epochs:
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.status == PENDING, OutboxRow.epoch.in_(epochs))
            .values(epoch=None)
        )


def pull_back(session: Session, clock: HybridClock, limit: Stamp, server_now: Stamp) -> int:
    """Re-date the pending changes stamped above ``limit`` (the server's time plus its allowance).

    Such a stamp is not the moment its edit was made (the clock was dragged ahead, or an older version
    stamped by the wall clock), and the server never stored it. The change gets the moment it was made
    on the device timeline when that is known and below the limit, else the earliest stamp consistent
    with what it follows: just above the change before it, the value it replaced and the newest stamp
    the server acknowledged from this device. A change with nothing at all to follow (the very first
    changes of a device, all stamped ahead) is dated ``server_now``, the earliest moment the server can
    vouch for. Returns how many changes were re-dated.
    """
    floor = _acked_floor(session)
    renamed: dict[str, str] = {}
    previous = floor
    for row in _pending(session):
        stamp = _stamp_of(row)
        if stamp <= limit:
            previous = _max(previous, stamp)
            continue
        made = row.physical_ms is not None and row.epoch is None and row.physical_ms <= limit.wall_ms
        target = Stamp(row.physical_ms, 0, clock.node) if made and row.physical_ms is not None else None
        bases = _bases(row, renamed)
        if target is None and previous is None and not bases:
            target = Stamp(server_now.wall_ms, 0, clock.node)
        new = _after(target, previous, bases)
        _rename(session, row, stamp, new, renamed)
        row.epoch = None
        previous = new
    _rename_elsewhere(session, renamed)
    if renamed:
        top = max(Stamp.decode(s) for s in renamed.values())
        _settle_clock(session, clock, _max(top, floor) or top, rewind=True)
    return len(renamed)


def raise_acked_floor(session: Session, stamps: Iterable[Stamp]) -> None:
    """Remember the newest stamp of this device the server acknowledged."""
    newest = max(stamps, default=None)
    if newest is None:
        return
    current = _acked_floor(session)
    if current is None or newest > current:
        session.execute(
            sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(acked_floor=newest.encode())
        )


# -- helpers ------------------------------------------------------------------------------------------------


def _pending(session: Session) -> list[OutboxRow]:
    query = sa.select(OutboxRow).where(OutboxRow.status == PENDING).order_by(OutboxRow.seq)
    return list(session.scalars(query))


def _stamp_of(row: OutboxRow) -> Stamp:
    # Every change of one outbox entry carries the same stamp (one write, one tick); so does a tombstone.
    text = row.deleted or next(iter(row.changes.values()))["s"]
    return Stamp.decode(text)


def _bases(row: OutboxRow, renamed: dict[str, str]) -> list[Stamp]:
    bases = [change.get("b") for change in row.changes.values()]
    return [Stamp.decode(renamed.get(b, b)) for b in bases if b]


def _acked_floor(session: Session) -> Stamp | None:
    text = session.scalar(sa.select(SyncStateRow.acked_floor).where(SyncStateRow.id == 1))
    return Stamp.decode(text) if text else None


def _max(a: Stamp | None, b: Stamp | None) -> Stamp | None:
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def _successor(stamp: Stamp, node: str) -> Stamp:
    if stamp.counter >= MAX_COUNTER:
        return Stamp(stamp.wall_ms + 1, 0, node)
    return Stamp(stamp.wall_ms, stamp.counter + 1, node)


def _after(target: Stamp | None, previous: Stamp | None, bases: list[Stamp]) -> Stamp:
    """The smallest stamp at or above ``target`` that is above ``previous`` and every base."""
    assert target is not None or previous is not None or bases, "nothing to date the change by"
    node = target.node if target is not None else (previous or bases[0]).node
    floors = [s for s in (previous, *bases) if s is not None]
    candidate = target
    for floor in floors:
        after = _successor(floor, node)
        if candidate is None or after > candidate:
            candidate = after
    assert candidate is not None
    return Stamp(candidate.wall_ms, candidate.counter, node)


def _rename(session: Session, row: OutboxRow, old: Stamp, new: Stamp, renamed: dict[str, str]) -> None:
    renamed[old.encode()] = new.encode()
    text = new.encode()
    row.changes = {
        name: {"v": change["v"], "s": text, "b": renamed.get(change["b"], change["b"])}
        for name, change in row.changes.items()
    }
    row.deleted = text if row.deleted else None
    record = session.get(ROW_TYPES[row.entity], row.record_id)
    if record is not None:
        record.stamps = {name: renamed.get(stamp, stamp) for name, stamp in record.stamps.items()}
        record.bases = {name: renamed.get(base, base) for name, base in record.bases.items()}
        if record.deleted is not None:
            record.deleted = renamed.get(record.deleted, record.deleted)


def _rename_elsewhere(session: Session, renamed: dict[str, str]) -> None:
    if not renamed:
        return
    for old, new in renamed.items():
        session.execute(sa.update(ConflictRow).where(ConflictRow.lost_stamp == old).values(lost_stamp=new))
        session.execute(
            sa.update(ConflictRow).where(ConflictRow.winner_stamp == old).values(winner_stamp=new)
        )


def _settle_clock(session: Session, clock: HybridClock, newest: Stamp, *, rewind: bool) -> None:
    if rewind:
        clock.rewind(newest)
    if clock.last < newest:
        clock.observe(newest)
    session.execute(
        sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(last_stamp=clock.last.encode())
    )
