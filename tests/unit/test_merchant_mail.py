"""« Écrire au commerçant », plain: the form's starting text, its checks, the mail (program's
sender, replies to the team, the footer) and its history line; a typed line break never adds a
header."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.mail import MailSettings
from bot.merchant_mail import checked, compose, history_note, starting_body
from bot.workspace import NotAllowed

MAIL = MailSettings("100 % NumériQC <noreply@example.org>", outbox=Path("/nonexistent"))


def test_the_form_starts_with_a_greeting_and_the_signature() -> None:
    assert starting_body("Marie Tremblay", "Sophie Gagnon") == (
        "Bonjour Marie Tremblay,\n\n\n\nSophie Gagnon\n100 % NumériQC"
    )


def test_checks() -> None:
    assert checked(" Suivi\r\nBcc: x@y ", "Bonjour\r\n\r\nMot ", "M", "S") == (
        "Suivi Bcc: x@y", "Bonjour\n\nMot")  # fmt: skip
    for subject, body, reason in [
        ("", "Bonjour", "objet"), ("x" * 151, "Bonjour", "150"),
        ("Suivi", starting_body("M", "S") + "  \n", "Écrivez"), ("Suivi", " ", "Écrivez"),
        ("Suivi", "x" * 5001, "5000"),
    ]:  # fmt: skip
        with pytest.raises(NotAllowed, match=reason):
            checked(subject, body, "M", "S")


def test_the_mail_replies_to_the_team() -> None:
    mail = compose(
        MAIL, "marie@exemple.com", "Suivi\nBcc: pirate@x", "Bonjour", "equipe@x.ca\nBcc: y"
    )
    assert str(mail["Reply-To"]).startswith("equipe@x.ca") and mail["Bcc"] is None
    assert not [line for line in bytes(mail).splitlines() if line.startswith(b"Bcc")]
    assert mail["Subject"] == "Suivi Bcc: pirate@x"
    body = mail.get_content()
    assert body.startswith("Bonjour\n\n—\n100 % NumériQC")
    assert "répondez simplement à ce courriel" in body
    assert compose(MAIL, "m@x.ca", "S", "B", "")["Reply-To"] is None


def test_the_history_keeps_who_what() -> None:
    assert history_note("m@x.ca", "Suivi", "Bonjour\n\nMot") == (
        "Courriel envoyé à m@x.ca\nObjet : Suivi\n\nBonjour\n\nMot"
    )
