"""Writes the NMEA 0183 logs the positioning tests replay (``python tests/gui/tracks/make_tracks.py``).

Each log is what a GPS receiver sends once a second: a GGA sentence (fix quality, satellites, HDOP) and an
RMC sentence (status, date) per fix, each with its XOR checksum. Qt's QNmeaPositionInfoSource replays them
(tests/gui/test_visit_location.py); the accuracy it reports is 2 x HDOP x the receiver's range error.
"""

from __future__ import annotations

from functools import reduce
from pathlib import Path

HERE = Path(__file__).parent
HOME = (41.78500, -73.69400)  # 12 Orchard Lane, Millbrook NY (the test patient's geocoded home)
DATE = "261126"  # 26 November 2026


def checksum(body: str) -> str:
    return f"{reduce(lambda acc, ch: acc ^ ord(ch), body, 0):02X}"


def degrees_minutes(value: float, width: int) -> str:
    whole = int(abs(value))
    return f"{whole:0{width}d}{(abs(value) - whole) * 60:07.4f}"


def sentences(second: int, lat: float, lon: float, *, fix: bool = True, hdop: float = 1.2) -> list[str]:
    time = f"1430{second:02d}.00"
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    la, lo = degrees_minutes(lat, 2), degrees_minutes(lon, 3)
    if fix:
        gga = f"GPGGA,{time},{la},{ns},{lo},{ew},1,08,{hdop:.1f},120.0,M,-34.0,M,,"
        rmc = f"GPRMC,{time},A,{la},{ns},{lo},{ew},0.0,0.0,{DATE},,,A"
    else:  # the receiver is on but has no satellites: empty positions, status V (void)
        gga = f"GPGGA,{time},,,,,0,00,99.9,,M,,M,,"
        rmc = f"GPRMC,{time},V,,,,,,,{DATE},,,N"
    return [f"${body}*{checksum(body)}" for body in (gga, rmc)]


def track(name: str, points: list[tuple[float, float]], *, fix: bool = True) -> None:
    lines = [line for i, (lat, lon) in enumerate(points) for line in sentences(i, lat, lon, fix=fix)]
    (HERE / name).write_text("\r\n".join(lines) + "\r\n", encoding="ascii", newline="")


def main() -> None:
    lat, lon = HOME
    track("at_home.nmea", [(lat + i * 0.00001, lon) for i in range(5)])  # walking up to the door
    track("far_away.nmea", [(lat + 0.018, lon + 0.0001 * i) for i in range(5)])  # 2 km north
    track("no_fix.nmea", [(0.0, 0.0)] * 5, fix=False)


if __name__ == "__main__":
    main()
