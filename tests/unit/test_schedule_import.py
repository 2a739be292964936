"""The schedule CSV (fieldapp.domain.schedule_import): good files read, every bad row named by its line."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain.schedule import visit_id_for
from fieldapp.domain.schedule_import import (
    MAX_ROWS,
    REQUIRED_COLUMNS,
    Directory,
    RawRow,
    check_file,
    read_rows,
    references,
)

ZONE = ZoneInfo("America/New_York")
ANA, BEN = uuid.uuid4(), uuid.uuid4()
PARK, DIAZ = uuid.uuid4(), uuid.uuid4()
DIRECTORY = Directory(
    workers={"ana": ANA, "ben": BEN},
    patients={"MRN-1": PARK, "MRN-2": DIAZ},
    service_codes=frozenset({"T1019", "G0156", "G0299"}),
)
HEADER = "external_id,worker,patient_mrn,date,start,end,service_code"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *lines)) + "\n").encode()


def problems(data: bytes) -> list[str]:
    return [str(problem) for problem in check_file(data, DIRECTORY, ZONE).problems]


def test_a_good_file_gives_rows_in_utc_with_stable_visit_ids() -> None:
    data = csv_bytes(
        "V-1,ana,MRN-1,2026-12-01,09:00,11:00,t1019", "V-2,ben,MRN-2,2026-12-01,9:30,10:30,G0156"
    )
    checked = check_file(data, DIRECTORY, ZONE)
    assert checked.ok
    first, second = checked.rows
    assert (first.line, first.worker_id, first.patient_id, first.service_code) == (2, ANA, PARK, "T1019")
    assert first.start == datetime(2026, 12, 1, 14, tzinfo=UTC) and first.end.hour == 16
    assert first.visit_id == visit_id_for("V-1") and second.start.minute == 30
    assert check_file(data, DIRECTORY, ZONE).rows == checked.rows  # a replay reads the same


def test_optional_columns_in_any_order_a_bom_crlf_and_quoted_multiline_notes() -> None:
    header = (
        "service_code,status,cancel_reason,worker_notes," + "external_id,worker,patient_mrn,date,start,end"
    )
    text = (
        f'{header}\r\nT1019,,,"Key under the mat.\r\nDog is friendly.",'
        "V-1,ana,MRN-1,2026-12-01,09:00,11:00\r\n"
        "G0156,cancelled,client in hospital,,V-2,ana,MRN-1,2026-12-01,10:00,11:00\r\n\r\n"
    )
    checked = check_file(b"\xef\xbb\xbf" + text.encode(), DIRECTORY, ZONE)
    assert checked.ok, checked.problems
    notes, cancel = checked.rows
    assert notes.worker_notes == "Key under the mat.\r\nDog is friendly." and not notes.cancelled
    assert cancel.line == 4 and cancel.cancel_reason == "client in hospital"  # cancelled rows never overlap


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("V-1,ana,MRN-1,2026-12-01,11:00,09:00,T1019", "line 2: end 09:00 is not after start 11:00"),
        ("V-1,ana,MRN-1,2026-12-01,09:00,09:00,T1019", "line 2: end 09:00 is not after start 09:00"),
        ("V-1,zoe,MRN-1,2026-12-01,09:00,11:00,T1019", "line 2: unknown worker 'zoe' (a fieldapp user name)"),
        ("V-1,ana,MRN-9,2026-12-01,09:00,11:00,T1019", "line 2: unknown patient MRN 'MRN-9'"),
        ("V-1,ana,MRN-1,2026-12-01,09:00,11:00,X9999", "line 2: unknown service code 'X9999'"),
        (
            "V-1,ana,MRN-1,2026-12-01,09:00,11:00,T-19",
            "line 2: service_code 'T-19' is not valid (a code such as T1019)",
        ),
        (
            "V-1,ana,MRN-1,12/01/2026,09:00,11:00,T1019",
            "line 2: date '12/01/2026' is not a date written YYYY-MM-DD",
        ),
        (
            "V-1,ana,MRN-1,2026-02-30,09:00,11:00,T1019",
            "line 2: date '2026-02-30' is not a date written YYYY-MM-DD",
        ),
        (
            "V-1,ana,MRN-1,2026-12-01,9am,11:00,T1019",
            "line 2: start '9am' is not a time written HH:MM (24 h)",
        ),
        (
            "V-1,ana,MRN-1,2026-12-01,09:00,25:00,T1019",
            "line 2: end '25:00' is not a time written HH:MM (24 h)",
        ),
        ("V 1,ana,MRN-1,2026-12-01,09:00,11:00,T1019", "line 2: external_id 'V 1' is not valid"),
        (",ana,MRN-1,2026-12-01,09:00,11:00,T1019", "line 2: external_id is empty"),
        ("V-1,ana,MRN-1,2026-12-01,09:00,11:00", "line 2: 6 values where the header has 7 columns"),
        ("V-1,ana,MRN-1,2027-03-14,02:30,04:00,T1019", "line 2: start 02:30 does not exist on 2027-03-14"),
    ],
)
def test_each_bad_row_is_named_with_its_line_and_reason(line: str, reason: str) -> None:
    found = problems(csv_bytes(line))
    assert len(found) == 1 and found[0].startswith(reason), found


def test_every_bad_row_is_reported_not_just_the_first_and_nothing_is_returned_to_apply() -> None:
    data = csv_bytes(
        "V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019",
        "V-2,zoe,MRN-1,2026-12-01,09:00,11:00,T1019",
        "V-3,ana,MRN-2,2026-12-01,10:00,12:00,T1019",
        "V-1,ben,MRN-2,2026-12-02,09:00,11:00,T1019",
        "V-4,ben,MRN-2,2026-12-02,13:00,14:00,T1019,extra",
        "V-5,ben,MRN-2,2026-12-02,13:00,14:00,T1019,status",
    )
    checked = check_file(data, DIRECTORY, ZONE)
    assert checked.rows == []
    assert [str(problem) for problem in checked.problems] == [
        "line 3: unknown worker 'zoe' (a fieldapp user name)",
        "line 4: overlaps line 2 (V-1) for the same worker",
        "line 5: external_id V-1 is already on line 2",
        "line 6: 8 values where the header has 7 columns",
        "line 7: 8 values where the header has 7 columns",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "line 1: the file is empty"),
        (b"\n\n", "line 1: the file is empty"),
        (b"external_id,worker,date\nV-1,ana,2026-12-01\n", "line 1: missing column patient_mrn, start, end"),
        (csv_bytes(header=HEADER + ",sevice_code"), "line 1: unknown column 'sevice_code'"),
        (csv_bytes(header=HEADER + ",worker"), "line 1: column worker appears more than once"),
        (csv_bytes("V-1,ana,MRN-1").replace(b"ana", b"\xe1na"), "line 2: not UTF-8"),
        (csv_bytes('V-1,"ana,MRN-1,2026-12-01,09:00,11:00,T1019'), "not a readable CSV file"),
        (csv_bytes("V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019,cancelled", header=HEADER + ",status"),
         "line 2: a cancelled visit needs a cancel_reason"),
        (csv_bytes("V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019,later", header=HEADER + ",status"),
         "line 2: status 'later' is neither scheduled nor cancelled"),
        (csv_bytes("V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019,why", header=HEADER + ",cancel_reason"),
         "line 2: cancel_reason is given but status is not cancelled"),
        (csv_bytes("V-1,a\x1bna,MRN-1,2026-12-01,09:00,11:00,T1019"),
         "line 2: worker contains control characters"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_in_words(data: bytes, reason: str) -> None:
    found = problems(data)
    assert found and found[0].startswith(reason), found


def test_lines_count_from_the_header_across_blank_lines_and_multiline_fields() -> None:
    header = HEADER + ",worker_notes"
    data = csv_bytes(
        'V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019,"two\nlines"',
        "",
        "V-2,zoe,MRN-1,2026-12-01,12:00,13:00,T1019,",
        header=header,
    )
    assert problems(data) == ["line 5: unknown worker 'zoe' (a fieldapp user name)"]


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fieldapp.domain.schedule_import.MAX_ROWS", 2)
    rows = [f"V-{i},ana,MRN-1,2026-12-0{i},09:00,11:00,T1019" for i in range(1, 4)]
    assert problems(csv_bytes(*rows)) == ["line 4: a file holds at most 2 rows; split it"]
    assert MAX_ROWS == 100_000


def test_references_name_each_worker_and_patient_once() -> None:
    reading = read_rows(
        csv_bytes("V-1,ana,MRN-1,2026-12-01,09:00,11:00,T1019", "V-2,ana,MRN-2,2026-12-02,09:00,11:00,T1019")
    )
    assert references(reading.rows) == ({"ana"}, {"MRN-1", "MRN-2"})


# --- properties -------------------------------------------------------------------------------------------

raw_rows = st.builds(
    RawRow,
    line=st.just(0),
    external_id=st.from_regex(r"[!-~]{1,64}", fullmatch=True),
    worker=st.sampled_from(["ana", "ben"]),
    patient_mrn=st.sampled_from(["MRN-1", "MRN-2"]),
    day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    start=st.sampled_from([time(7), time(9, 30), time(13)]),
    end=st.sampled_from([time(14), time(17, 45)]),
    service_code=st.sampled_from(["T1019", "G0156"]),
    worker_notes=st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=40),
)


def render(rows: list[RawRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*REQUIRED_COLUMNS, "worker_notes"])
    for row in rows:
        when = [row.day.isoformat(), f"{row.start:%H:%M}", f"{row.end:%H:%M}"]
        writer.writerow(
            [row.external_id, row.worker, row.patient_mrn, *when, row.service_code, row.worker_notes]
        )
    return out.getvalue().encode()


@settings(max_examples=60)
@given(st.lists(raw_rows, max_size=12, unique_by=lambda row: row.external_id.strip()))
def test_a_rendered_file_reads_back_row_for_row(rows: list[RawRow]) -> None:
    reading = read_rows(render(rows))
    assert reading.problems == []
    assert [(r.external_id, r.day, r.start, r.worker_notes.strip()) for r in reading.rows] == [
        (r.external_id, r.day, r.start, r.worker_notes.strip()) for r in rows
    ]
    assert [row.line for row in reading.rows] == list(range(2, len(rows) + 2))


@settings(max_examples=200)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda text: (HEADER + "\n" + text).encode()))
def test_any_bytes_give_rows_or_problems_and_never_raise(data: bytes) -> None:
    checked = check_file(data, DIRECTORY, ZONE)
    assert checked.ok or (checked.problems and checked.rows == [])
    assert all(problem.line >= 0 and problem.reason for problem in checked.problems)
