"""Slowing password guessing down without letting a stranger lock anyone out (decision 0015).

Every sign-in attempt passes counters, each of which, after some free failures, makes its next attempt
wait, twice as long after every further failure (up to an hour), answered 429 with Retry-After and no
password check:

- from an address this user has signed in from before (within 90 days, a "familiar" address): only the
  counter of that user at that address. Strangers elsewhere cannot touch it, so they cannot lock the user
  out of their usual place; someone guessing from there is slowed by it.
- from any other address: the counter of the user name (five free failures, then a minute, doubling), so
  guesses at one account from many addresses are few in a day; and the counter of the address (ten free
  failures, then a second, doubling), so one address guessing at many accounts is slowed too.

A success resets the user's counters (not the address's: an attacker could reset it with an account of
their own). Counters are forgotten a day after their last failure. IPv6 addresses count by their /64
network, which one machine can fill.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fieldapp.server.models import FamiliarAddress, SignInThrottle
from fieldapp.server.settings import Settings

ACCOUNT, ADDRESS, FAMILIAR = "account", "address", "familiar"
FORGET = timedelta(hours=24)
FAMILIAR_FOR = timedelta(days=90)
MAX_WAIT_S = 3600


def client_key(address: str | None) -> str:
    """What counts as one client: its IPv4 address, or its IPv6 /64 network."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "unknown").strip()[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


@dataclass(frozen=True, slots=True)
class Rule:
    """How many failures are free, and the first wait after them (seconds; doubling from there)."""

    free: int
    first_wait_s: int

    def wait_after(self, failures: int) -> int | None:
        """The wait earned by ``failures`` in a row, or None while they are free."""
        over = failures - self.free
        if over < 0:
            return None
        return int(min(MAX_WAIT_S, self.first_wait_s * 2 ** min(over, 20)))


def rules(settings: Settings) -> dict[str, Rule]:
    """The rule of each kind of counter."""
    per_user = Rule(settings.login_failures_before_lock, settings.login_lock_s)
    return {
        ACCOUNT: per_user,
        FAMILIAR: per_user,
        ADDRESS: Rule(settings.address_failures_before_wait, settings.address_wait_s),
    }


@dataclass
class Gate:
    """The counters one sign-in attempt passes, locked for its transaction."""

    session: Session
    username: str
    address: str
    counters: list[SignInThrottle]
    rules: dict[str, Rule]

    def wait_s(self, now: datetime) -> int:
        """Seconds until this attempt may be checked (0: now)."""
        waits = [(c.locked_until - now).total_seconds() for c in self.counters if c.locked_until]
        return max(0, math.ceil(max(waits, default=0.0)))

    def failed(self, now: datetime) -> None:
        """Count a wrong password (or unknown name) on every counter of the attempt."""
        for counter in self.counters:
            counter.failures += 1
            counter.last_failure = now
            wait = self.rules[counter.scope].wait_after(counter.failures)
            counter.locked_until = now + timedelta(seconds=wait) if wait is not None else None

    def succeeded(self, now: datetime) -> None:
        """The right password: the user's counters start again and this address becomes familiar."""
        for counter in self.counters:
            if counter.scope != ADDRESS:
                counter.failures, counter.locked_until = 0, None
        _upsert(
            self.session,
            FamiliarAddress,
            {"username": self.username, "address": self.address, "last_success": now},
            ("username", "address"),
            {"last_success": now},
        )


def gate(session: Session, settings: Settings, username: str, address: str, now: datetime) -> Gate:
    """The counters an attempt at ``username`` from ``address`` (a ``client_key``) must pass."""
    known = session.get(FamiliarAddress, (username, address))
    if known is not None and known.last_success > now - FAMILIAR_FOR:
        keys = [(FAMILIAR, f"{username} {address}")]
    else:
        keys = [(ACCOUNT, username), (ADDRESS, address)]  # always in this order: no deadlock between two
    return Gate(session, username, address, [_counter(session, s, k, now) for s, k in keys], rules(settings))


def clear_user(session: Session, username: str) -> None:
    """Forget a user's failures (an administrator set a new password)."""
    counter = session.get(SignInThrottle, (ACCOUNT, username))
    if counter is not None:
        counter.failures, counter.locked_until = 0, None
    for counter in session.query(SignInThrottle).filter(
        SignInThrottle.scope == FAMILIAR, SignInThrottle.key.startswith(username + " ", autoescape=True)
    ):
        counter.failures, counter.locked_until = 0, None


def _counter(session: Session, scope: str, key: str, now: datetime) -> SignInThrottle:
    """The counter row, created if missing and locked for the transaction, so parallel guesses at one
    name are counted one after another."""
    _upsert(session, SignInThrottle, {"scope": scope, "key": key, "failures": 0}, ("scope", "key"), None)
    counter = session.get(SignInThrottle, (scope, key), with_for_update=True, populate_existing=True)
    assert counter is not None
    if counter.last_failure is not None and now - counter.last_failure > FORGET:
        counter.failures, counter.locked_until = 0, None
    return counter


def _upsert(
    session: Session, model: Any, values: dict[str, Any], keys: tuple[str, ...], update: dict[str, Any] | None
) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values)
    if update is None:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    else:
        statement = statement.on_conflict_do_update(index_elements=list(keys), set_=update)
    session.execute(statement)
