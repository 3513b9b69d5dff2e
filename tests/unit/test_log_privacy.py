"""Personal data masked in logs: the masking rules, the filter, and real handlers writing out."""

from __future__ import annotations

import io
import logging
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import log_privacy
from bot.log_privacy import MaskedLogRecord, PersonalDataFilter, mask


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("marie@exemple.com", "m***@exemple.com"),
        (
            "Mon courriel : Jean.Dupont+nq@sous.exemple.qc.ca.",
            "Mon courriel : J***@sous.exemple.qc.ca.",
        ),
        ("écrivez à élise_côté@boutique-été.ca svp", "écrivez à é***@boutique-été.ca svp"),
        ("{'email': 'marie@exemple.com'}", "{'email': 'm***@exemple.com'}"),
        ("418 555-1234", "[téléphone]"),
        ("(418) 555-1234", "[téléphone]"),
        ("(418)555-1234", "[téléphone]"),
        ("418-555-1234", "[téléphone]"),
        ("418.555.1234", "[téléphone]"),
        ("4185551234", "[téléphone]"),
        ("+14185551234", "[téléphone]"),
        ("1-418-555-1234", "[téléphone]"),
        ("+1 (418) 555-1234", "[téléphone]"),
        ("418\u00a0555\u00a01234", "[téléphone]"),
        ('{"phone": "+14185551234"}', '{"phone": "[téléphone]"}'),
        (
            '{"text": "418\\u00a0555-1234, Qu\\u00e9bec G1L\\u00a02W5"}',
            '{"text": "[téléphone], Qu\\u00e9bec G1L ***"}',
        ),
        (
            "appelez-moi au 418 555-1234, après 14 h 30.",
            "appelez-moi au [téléphone], après 14 h 30.",
        ),
        ("G1K 3A5", "G1K ***"),
        ("g1k3a5", "G1K ***"),
        ("G1K-3A5", "G1K ***"),
        ("123, 3e Avenue, Québec G1L 2W5", "123, 3e Avenue, Québec G1L ***"),
        (
            "courriel marie@exemple.com, tél. 418 555-1234, code G1L 2W5",
            "courriel m***@exemple.com, tél. [téléphone], code G1L ***",
        ),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, c'est gratuit? Ça coûte combien à Limoilou?",
        "rendez-vous à 14 h 30, ou 9h, ou 10:00",
        "le 2026-11-23 10:00:00,123 à Québec",
        "le mardi 24 novembre 2026",
        "1 500 $ ou 1500,00 $ ou 12 345 678 $",
        "référence NQ-ABC234, ou NQ-A2B3C4",
        "le code G1K, la région G0A",
        "123418555123456",  # a 10-digit run inside a longer number
        "timestamp 1763912345.123",  # area codes never start with 0 or 1
        "0.4185551234",
        "555-1234",  # no area code: not a full number
        "sender intake-a1b2c3d4e5f6, message 3f2c9a8b1e4d4c6a",
        "3 employés, 1 à 2 heures par semaine",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask(text) == text


def _record(msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("courriel refusé : marie@exemple.com")
        except ValueError as error:
            exc_info = (type(error), error, error.__traceback__)
    return logging.LogRecord("rasa.core", logging.DEBUG, __file__, 1, msg, args, exc_info)


def test_the_filter_masks_the_final_message_and_the_exception() -> None:
    record = _record("Received user message '%s' from %s", "418 555-1234", "G1K 3A5", exc=True)
    assert PersonalDataFilter().filter(record) is True
    assert record.msg == "Received user message '[téléphone]' from G1K ***"
    assert record.args is None
    assert record.exc_text and "m***@exemple.com" in record.exc_text
    assert "marie@" not in logging.Formatter().format(record)


def test_the_filter_keeps_a_malformed_record_for_its_handler() -> None:
    record = _record("%s %s", "only one")
    assert PersonalDataFilter().filter(record) is True
    assert record.msg == "%s %s"


def test_a_masked_record_formats_masked_and_survives_pickling() -> None:
    record = MaskedLogRecord(
        "bot", logging.ERROR, __file__, 1, "mail to %s", ("marie@exemple.com",), None
    )
    record.exc_text = "SMTPRecipientsRefused: marie@exemple.com"
    assert record.getMessage() == "mail to m***@exemple.com"
    assert record.exc_text == "SMTPRecipientsRefused: m***@exemple.com"
    copy = pickle.loads(pickle.dumps(record))
    assert copy.getMessage() == "mail to m***@exemple.com"
    assert copy.exc_text == record.exc_text


@pytest.fixture
def clean_logging() -> Iterator[logging.Logger]:
    """A fresh logger, with the process's record factory and root handlers' filters restored."""
    factory = logging.getLogRecordFactory()
    root_filters = {handler: list(handler.filters) for handler in logging.getLogger().handlers}
    logging.setLogRecordFactory(logging.LogRecord)
    logger = logging.getLogger("tests.log_privacy")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logging.setLogRecordFactory(factory)
    for handler, filters in root_filters.items():
        handler.filters = filters


PERSONAL = ("marie@exemple.com", "418 555-1234", "G1L 2W5")


def test_real_handlers_write_masked_lines(clean_logging: logging.Logger, tmp_path: Path) -> None:
    """A stream handler there before `install()`, a file handler added after it (as Sanic's and
    `basicConfig`'s are), a child logger, an exception: nothing personal reaches the output."""
    logger = clean_logging
    stream = io.StringIO()
    logger.addHandler(logging.StreamHandler(stream))
    log_privacy.install()
    log_privacy.install()  # idempotent
    log_file = tmp_path / "app.log"
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(file_handler)

    child = logging.getLogger("tests.log_privacy.child")
    child.debug("Received user message 'mon courriel c'est %s' with intent 'inform'", PERSONAL[0])
    logger.info(
        "slots: %r", {"phone": PERSONAL[1], "address": f"123, 3e Avenue, Québec {PERSONAL[2]}"}
    )
    logger.warning("booking NQ-ABC234 at 14 h 30 for 1 500 $")
    try:
        raise RuntimeError(f"SMTP refused {PERSONAL[0]} ({PERSONAL[1]})")
    except RuntimeError:
        logger.exception("mail not sent")
    file_handler.flush()

    for output in (stream.getvalue(), log_file.read_text(encoding="utf-8")):
        for value in PERSONAL:
            assert value not in output, output
        assert "mon courriel c'est m***@exemple.com" in output
        assert "'phone': '[téléphone]'" in output and "Québec G1L ***" in output
        assert "booking NQ-ABC234 at 14 h 30 for 1 500 $" in output
        assert "RuntimeError: SMTP refused m***@exemple.com ([téléphone])" in output
        assert "Traceback" in output


def test_install_filters_the_existing_handlers_too(clean_logging: logging.Logger) -> None:
    """Records made by another factory than ours (or before `install()`) are masked by the
    filter that `install()` puts on the handlers already there."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    clean_logging.addHandler(handler)
    log_privacy.install()
    assert log_privacy._FILTER in handler.filters
    handler.handle(_record("courriel %s", PERSONAL[0]))
    assert stream.getvalue() == "courriel m***@exemple.com\n"
