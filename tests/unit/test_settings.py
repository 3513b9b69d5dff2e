"""Settings come from the environment and `.env`, with embedded defaults."""

from pathlib import Path

import pytest

from bot.settings import load_settings


def test_defaults_run_embedded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [
        "WEB_HOST",
        "RASA_HOST",
        "ACTION_HOST",
        "RASA_PORT",
        "WEB_PORT",
        "VAR_DIR",
        "RASA_TRACKER_DB",
    ]:
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(tmp_path / "missing.env")
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.web_url == "http://127.0.0.1:8000"
    assert settings.action_url == "http://127.0.0.1:5055/webhook"
    assert settings.tracker_db.name == "tracker.db"


def test_env_file_is_read_but_real_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("WEB_PORT=9100\nRASA_PORT=9200\n")
    monkeypatch.delenv("WEB_PORT", raising=False)
    monkeypatch.setenv("RASA_PORT", "9300")
    settings = load_settings(env_file)
    assert (settings.web_port, settings.rasa_port) == (9100, 9300)


def test_a_bad_port_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WEB_PORT", "huit-mille")
    with pytest.raises(ValueError, match="WEB_PORT must be an integer"):
        load_settings(tmp_path / "missing.env")


def test_mail_goes_to_the_outbox_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.mail import mail_settings

    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    mail = mail_settings(load_settings(tmp_path / "missing.env"))
    assert (mail.smtp_host, mail.outbox) == ("", tmp_path / "outbox")


@pytest.mark.parametrize(
    ("value", "error"),
    [("lundi matin", "ISO 8601"), ("2026-11-23T10:00", "needs a UTC offset")],
)
def test_a_bad_frozen_clock_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, error: str
) -> None:
    monkeypatch.setenv("FROZEN_CLOCK", value)
    with pytest.raises(ValueError, match=error):
        load_settings(tmp_path / "missing.env")


def test_no_frozen_clock_means_real_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FROZEN_CLOCK", raising=False)
    assert load_settings(tmp_path / "missing.env").frozen_clock is None


def test_allowed_origins_are_a_checked_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", " https://www.sdc-exemple.org/, http://localhost:8080 ")
    assert load_settings(tmp_path / "missing.env").allowed_origins == (
        "https://www.sdc-exemple.org",
        "http://localhost:8080",
    )
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://www.sdc-exemple.org/page")
    with pytest.raises(ValueError, match=r"ALLOWED_ORIGINS: .* is not an origin"):
        load_settings(tmp_path / "missing.env")
