"""Rasa custom actions: thin adapters between the tracker and the plain logic in `bot/`."""

from bot import log_privacy

# Imported by the action server after rasa-sdk has set up its logging: e-mails, phones and postal
# codes masked in every log record of the process (see `bot/log_privacy.py`).
log_privacy.install()
