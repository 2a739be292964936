"""CPU and lock meters for the server benchmarks: the fieldapp server's processes, the PostgreSQL backends
of one database, and lock waits in pg_stat_activity."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import psycopg

from benchmarks._common import Sampler
from benchmarks._server import pg_conninfo

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuMeter:
    """CPU seconds spent by the fieldapp server's processes (found by its port) since the meter was made.
    (PostgreSQL's backends come and go with the pools' overflow connections, and the cluster serves other
    databases too: its share is not measured here.)"""

    def __init__(self, base: str) -> None:
        port = base.rsplit(":", 1)[1]
        leaders = [p for p in self._pids() if f"--port\0{port}\0" in self._cmdline(p)]
        groups = {os.getpgid(p) for p in leaders}
        self.server = [p for p in self._pids() if self._pgid(p) in groups]
        self.start = self._now()

    def spent(self) -> float:
        return self._now() - self.start

    def _now(self) -> float:
        return sum(map(_cpu_s, self.server))

    @staticmethod
    def _pids() -> list[int]:
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]

    @staticmethod
    def _cmdline(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:
            return ""

    @staticmethod
    def _pgid(pid: int) -> int:
        try:
            return os.getpgid(pid)
        except OSError:
            return -1


class PgCpuMeter:
    """CPU seconds spent by the PostgreSQL backends serving database ``name`` (found by their process title,
    ``postgres: user name host(port) state``), polled every 0.05 s so that the short-lived connections of a
    pool's overflow are counted too (up to their last poll); the cluster's shared processes (WAL writer,
    checkpointer) and other databases' backends are left out."""

    def __init__(self, name: str) -> None:
        self.mark = f" {name} ".encode()
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._poll()
        self.first = dict(self.last)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def spent(self) -> float:
        """CPU seconds since the meter was made; stops polling."""
        self._stop.set()
        self._thread.join(5)
        self._poll()
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._poll()

    def _poll(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and self.mark in title:
                pid = int(entry.name)
                cpu = _cpu_s(pid)
                if cpu:
                    self.last[pid] = cpu


def own_cpu_s() -> float:
    """User + system CPU seconds of this process (every thread): the simulated devices' side."""
    times = os.times()
    return times.user + times.system


class LockWatch(Sampler):
    """Polls pg_stat_activity: the most sessions seen waiting on a lock, and the longest such wait."""

    def __init__(self, url: str, database: str) -> None:
        super().__init__()
        self.url, self.database = url, database
        self.most, self.longest_s = 0, 0.0

    def watch(self, stop: threading.Event) -> None:
        with psycopg.connect(pg_conninfo(self.url), autocommit=True) as db:
            while not stop.wait(0.1):
                row = db.execute(
                    "SELECT count(*), coalesce(max(extract(epoch FROM clock_timestamp() - query_start)), 0)"
                    " FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    (self.database,),
                ).fetchone()
                assert row is not None
                self.most, self.longest_s = max(self.most, row[0]), max(self.longest_s, float(row[1]))
