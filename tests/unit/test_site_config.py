"""The office server's address IT sets once per machine (the installer writes it), as the sign-in default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp.config import site_config_path, site_server_url


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "site.json"
    monkeypatch.setenv("FIELDAPP_SITE_CONFIG", str(path))
    return path


def test_the_address_it_set_is_the_default(site: Path) -> None:
    assert site_config_path() == site
    assert site_server_url() is None  # nothing set: the worker types it
    site.write_text(json.dumps({"server_url": "office.example.org/"}), encoding="utf-8")
    assert site_server_url() == "https://office.example.org"
    site.write_text(
        "\ufeff" + json.dumps({"server_url": "https://office.example.org:8443"}), encoding="utf-8"
    )
    assert site_server_url() == "https://office.example.org:8443", "a byte-order mark from Notepad is fine"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps(["https://office.example.org"]),
        json.dumps({"server": "https://office.example.org"}),
        json.dumps({"server_url": 42}),
        json.dumps({"server_url": "ftp://office.example.org"}),
        json.dumps({"server_url": "https://user:secret@office.example.org"}),
        json.dumps({"server_url": "https://office.example.org\u202e"}),
        json.dumps({"server_url": "https://" + "a" * 70_000 + ".org"}),
    ],
)
def test_a_file_that_cannot_work_is_ignored_not_fatal(site: Path, content: str) -> None:
    site.write_text(content, encoding="utf-8")
    assert site_server_url() is None
