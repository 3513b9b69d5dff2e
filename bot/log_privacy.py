"""Logs without personal data: e-mails, phone numbers and postal codes masked in every log line.

Standard library only: the Rasa server (`.venv/rasa`) and our processes (`.venv/app`) both
install it (`rasa_components/channels.py`, `actions/__init__.py`, `bot/web/__main__.py`,
`bot/cli.py`). What is masked, and how:

- e-mail addresses keep the first character and the domain: `marie@exemple.com` →
  `m***@exemple.com` (the domain tells a delivery problem apart; the person is gone);
- North-American phone numbers in their usual written forms (`418 555-1234`, `(418) 555-1234`,
  `418.555.1234`, `4185551234`, `+14185551234`, `1-418-555-1234`) → `[téléphone]`; the area
  code and the exchange must start with 2-9, as every real number's do, so timestamps
  (`1763912345`), prices, dates and digits inside a longer number are left alone;
- Canadian postal codes (`G1K 3A5`, `g1k3a5`, `G1K-3A5`) keep their first three characters, the
  forward sortation area, which names a district, not a person: `G1K ***`.

Where: `install()` wraps the log-record factory, so that every record of every logger (Rasa's,
Sanic's, rasa-sdk's, ours, and those of handlers added after start-up, such as the ones Sanic's
`dictConfig` creates with the app) formats to a masked message, its exception text and stack
included; the masking runs only when a handler formats the record. It also adds a
`PersonalDataFilter` to the handlers that exist at that time, for records made without the
factory. A filter on a named logger would not do: a logger's filters only see the records logged
on that very logger, not those of its children (`rasa.core.processor`), nor those of loggers
that do not propagate. Not covered: what a process prints without logging (`print`, Python
warnings not routed to logging), and personal data of other kinds (names, street addresses).
"""

from __future__ import annotations

import logging
import re
from typing import Any

EMAIL = re.compile(r"(?<![\w.%+-])([\w%+-])[\w.%+-]*@((?:[\w-]+\.)+[A-Za-z]{2,})(?![\w-])")

# Separators, also as JSON escapes (Rasa logs some messages as JSON with non-ASCII escaped).
_SEP = r"(?:[ .\-\u00a0\u202f]|\\u00a0|\\u202f)?"
PHONE = re.compile(
    r"(?<![\w.+])"
    r"(?:\+?1" + _SEP + r")?"
    r"(?:\(\s?[2-9]\d{2}\s?\)|[2-9]\d{2})" + _SEP + r"[2-9]\d{2}" + _SEP + r"\d{4}"
    r"(?![\w])"
)
PHONE_MASK = "[téléphone]"

# Letters a Canadian postal code uses: never D, F, I, O, Q, U; no W or Z in first place.
POSTAL_CODE = re.compile(
    r"(?<![\w-])([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:[ \u00a0\u202f-]|\\u00a0|\\u202f)?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w])",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    """`text` with its e-mail addresses, phone numbers and postal codes masked."""
    if not text:
        return text
    text = EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = PHONE.sub(PHONE_MASK, text)
    return POSTAL_CODE.sub(lambda m: f"{m.group(1).upper()} ***", text)


class MaskedLogRecord(logging.LogRecord):
    """A record whose formatted message, exception text and stack come out masked."""

    def getMessage(self) -> str:
        return mask(super().getMessage())

    # Formatters store the rendered traceback in `exc_text` (and read it back): masked on the
    # way in. Kept in the instance's `__dict__`, so records pickle and copy as usual.
    @property
    def exc_text(self) -> str | None:
        value = self.__dict__.get("exc_text")
        return value if value is None else str(value)

    @exc_text.setter
    def exc_text(self, value: str | None) -> None:
        self.__dict__["exc_text"] = mask(value) if value else value

    @property
    def stack_info(self) -> str | None:
        value = self.__dict__.get("stack_info")
        return value if value is None else str(value)

    @stack_info.setter
    def stack_info(self, value: str | None) -> None:
        self.__dict__["stack_info"] = mask(value) if value else value


class PersonalDataFilter(logging.Filter):
    """Masks a record in place: its final message becomes `msg` (without `args`), and its
    exception text is rendered and masked. Never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it as usual
            return True
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


_FILTER = PersonalDataFilter()


def _masking_factory(previous: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        if previous is logging.LogRecord:
            return MaskedLogRecord(*args, **kwargs)
        record: logging.LogRecord = previous(*args, **kwargs)  # another library's factory
        _FILTER.filter(record)
        return record

    factory.masks_personal_data = True  # type: ignore[attr-defined]
    return factory


def _handlers() -> list[logging.Handler]:
    loggers: list[Any] = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return [h for logger in loggers for h in getattr(logger, "handlers", ())]


def install() -> None:
    """Mask personal data in every log record of this process from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "masks_personal_data", False):
        logging.setLogRecordFactory(_masking_factory(current))
    for handler in _handlers():
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
