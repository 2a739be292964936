"""The signed-in account as the settings screen shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What the settings screen shows about the signed-in account."""

    username: str
    role: str
    server_url: str
    device_id: str
    folder: str
    version: str
    sync_interval_s: int
    offline: bool
    lock_after_s: int = 300
    worker_name: str = ""  # "Ana López, HHA" once the office named the worker (decision 0022)
    agency: str = ""  # the agency's name, address and phone
