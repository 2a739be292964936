"""The operating system's clocks the device timeline reads (``fieldapp.domain.devicetime``).

Plain standard library, one function per clock, each tested against the system's own reading on the test
machines (Linux); the Windows branches read GetTickCount64 and the registry's BootId counter.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
WINDOWS_BOOT_KEY = r"SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management\PrefetchParameters"


def system_uptime_ms() -> int:
    """Milliseconds since boot, counting suspend, from a clock that never jumps."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        # GetTickCount64 counts sleep and hibernation.
        return int(ctypes.windll.kernel32.GetTickCount64())
    # Linux: CLOCK_MONOTONIC stops during suspend, CLOCK_BOOTTIME does not. (macOS, not a target, has
    # neither a boot-time clock nor a boot id here: its devices resume from a lower bound at every start.)
    clock = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    return time.clock_gettime_ns(clock) // 1_000_000


def system_boot_id() -> str | None:
    """An identifier that changes at every boot, or None where the system gives none."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import winreg

        machine = winreg.HKEY_LOCAL_MACHINE
        with (
            contextlib.suppress(OSError),
            winreg.OpenKey(machine, WINDOWS_BOOT_KEY) as key,
        ):
            value, _ = winreg.QueryValueEx(key, "BootId")  # incremented at each boot
            return f"win-{value}"
        return None
    with contextlib.suppress(OSError):
        return BOOT_ID_FILE.read_text().strip()[:64] or None
    return None  # pragma: no cover - no /proc
