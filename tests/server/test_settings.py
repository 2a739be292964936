"""The server's settings: one class read from flags, the environment and a settings file, in that order;
the command and its workers read the same values; what does not fit is refused with the field's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.cli import main
from fieldapp.failures import Exit
from fieldapp.server.api import app_from_env
from fieldapp.server.settings import SETTINGS_FILE_ENV, Settings, SettingsError, load

NAMES = [name for name in Settings.model_fields]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FIELDAPP_ setting of the machine running the tests leaks in."""
    import os

    for name in list(os.environ):
        if name.startswith("FIELDAPP_") and name != "FIELDAPP_TEST_PG_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv(SETTINGS_FILE_ENV, "")  # and what a command sets (--settings) is undone after the test


def test_every_field_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    given = Settings(database_url="sqlite:///elsewhere.db", page_limit=17, heartbeat_s=2.5, api_docs=True)
    for name, value in given.as_environment().items():
        monkeypatch.setenv(name, value)
    assert len(given.as_environment()) == len(NAMES) == 17  # missed_sweep_s came with the server's sweep
    assert load() == given


def test_flags_override_the_environment_which_overrides_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    file = tmp_path / "server.toml"
    file.write_text(
        'page_limit = 300\nmax_blob_bytes = 1000\nagency_timezone = "Asia/Tokyo"\n', encoding="utf-8"
    )
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(file))
    monkeypatch.setenv("FIELDAPP_PAGE_LIMIT", "200")
    settings = load(page_limit=100, database_url=None)  # None: the flag was not given
    assert (settings.page_limit, settings.max_blob_bytes, settings.agency_timezone) == (
        100,
        1000,
        "Asia/Tokyo",
    )
    assert load().page_limit == 200
    monkeypatch.delenv("FIELDAPP_PAGE_LIMIT")
    assert load().page_limit == 300
    monkeypatch.delenv(SETTINGS_FILE_ENV)
    assert load().page_limit == Settings.model_fields["page_limit"].default == 1000


def test_the_older_time_zone_variable_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_AGENCY_TZ", "America/New_York")
    assert load().agency_timezone == "America/New_York"
    monkeypatch.setenv("FIELDAPP_AGENCY_TIMEZONE", "Europe/Berlin")  # the new name wins
    assert load().agency_timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("FIELDAPP_PAGE_LIMIT", "0", "page_limit: Input should be greater than 0"),
        ("FIELDAPP_MAX_BODY_BYTES", "lots", "max_body_bytes: Input should be a valid integer"),
        ("FIELDAPP_API_DOCS", "maybe", "api_docs: Input should be a valid boolean"),
        ("FIELDAPP_AGENCY_TIMEZONE", "Mars/Olympus", "not a time zone name"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match="the server's settings are not valid") as refused:
        load()
    assert words in str(refused.value)


def test_a_misspelt_or_missing_settings_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    file = tmp_path / "server.toml"
    file.write_text("page_limt = 300\n", encoding="utf-8")
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(file))
    with pytest.raises(SettingsError, match="page_limt: Extra inputs are not permitted"):
        load()
    file.write_text("page_limit = [\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="the settings file cannot be read"):
        load()
    monkeypatch.setenv(SETTINGS_FILE_ENV, str(tmp_path / "nowhere.toml"))
    with pytest.raises(SettingsError, match=r"nowhere\.toml does not exist"):
        load()


def test_the_workers_read_what_the_command_was_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`fieldapp server` hands its settings on through the environment; a worker's app is built from it."""
    given = load(database_url=f"sqlite:///{tmp_path / 'w.db'}", api_docs=True, page_limit=9)
    for name, value in given.as_environment().items():
        monkeypatch.setenv(name, value)
    app = app_from_env()
    assert app.state.settings == given and app.openapi_url == "/openapi.json"
    app.state.database.dispose()


def test_the_admin_command_refuses_unusable_settings_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("FIELDAPP_LOGIN_LOCK_S", "-1")
    assert main(["admin", "--database", f"sqlite:///{tmp_path / 'a.db'}", "migrate"]) == Exit.USAGE
    err = capsys.readouterr().err
    assert (
        err.startswith("fieldapp: the server's settings are not valid: login_lock_s:")
        and "Traceback" not in err
    )
    monkeypatch.delenv("FIELDAPP_LOGIN_LOCK_S")
    file = tmp_path / "server.toml"
    file.write_text(f'database_url = "sqlite:///{tmp_path / "b.db"}"\n', encoding="utf-8")
    assert main(["admin", "--settings", str(file), "migrate"]) == Exit.OK
    assert (tmp_path / "b.db").exists()
