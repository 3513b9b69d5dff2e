"""The e-mails, invitation texts and consent versions of the pack (`program/emails.yml`,
`program/consent.yml`): they load, their errors name the file and the line, another pack writes
its own wording, and no sentence of them is written in the code."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from string import Template

import pytest
from icalendar import Calendar

from bot.booking import Appointment, Scheduler
from bot.booking_form import find_reference
from bot.consent import current_version
from bot.mail import MailSettings
from bot.notifications import NEW_LEAD, Team, team_mail
from bot.pack import PackError
from bot.pack import consent as consent_pack
from bot.pack import emails as emails_pack
from bot.pack.emails import EMAILS, PARTS, current_emails, email, part
from bot.scheduling import TIMEZONE
from bot.scheduling.config import load_availability
from bot.settings import ROOT
from bot.storage.bookings import new_reference
from bot.storage.leads import LeadCard
from tests.conftest import FICTIONAL_PACK as FICTIONAL
from tests.pack_literals import strings

EMAILS_YML = (ROOT / "program" / "emails.yml").read_text(encoding="utf-8")
CONSENT_YML = (ROOT / "program" / "consent.yml").read_text(encoding="utf-8")
START = datetime.combine(date(2026, 11, 24), time(14), TIMEZONE)
LEAD = LeadCard(
    lead_id=7, business="Fromagerie du Lac", sector="alimentation", contact="Julie Roy",
    role="propriétaire", email="julie@exemple.com", phone="+18195551234", outcome="admissible",
    score=70, brief="Une boutique en ligne à lancer.",
)  # fmt: skip


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def errors_of(load: object, folder: Path, name: str, text: str) -> tuple[str, ...]:
    (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as raised:
        load(folder)  # type: ignore[operator]
    return raised.value.errors


def scheduler() -> Scheduler:
    mail = MailSettings("Cap numérique <rendez-vous@capnumerique.example.org>")
    return Scheduler(
        None,  # type: ignore[arg-type]  # writing e-mails reads no database
        load_availability(),
        mail,
        "https://capnumerique.example.org",
        clock=lambda: START - timedelta(days=2),
    )


def test_every_template_of_both_packs_loads() -> None:
    for folder in (ROOT / "program", FICTIONAL):
        loaded = emails_pack.load(folder)
        assert {name for name, _ in loaded.emails} == set(EMAILS)
        assert {name for name, _ in loaded.parts} == set(PARTS)
    assert consent_pack.load(FICTIONAL).current.version == "2026-09-v2"
    assert len(consent_pack.load(FICTIONAL).versions) == 2


def test_the_code_supplies_exactly_the_placeholders_it_declares() -> None:
    with pytest.raises(TypeError, match="expected"):
        email("contact_team", workspace="https://x", extra="?")
    with pytest.raises(TypeError, match="expected"):
        part("reason")


def test_a_booking_confirmation_of_another_program(fictional: None) -> None:
    reference = new_reference()
    assert re.fullmatch(r"CAP-[A-Z2-9]{8}", reference)
    assert find_reference(f"ma référence : cap {reference[4:].lower()}") == reference
    booking = scheduler()
    advisor = booking.availability.advisors[0]
    appointment = Appointment(reference, START, START + timedelta(hours=1), advisor, 0, 7)
    subject, body = booking._merchant_mail(appointment, LEAD, "new")
    assert subject == "Cap numérique — rendez-vous confirmé le mardi 24 novembre à 14 h"
    assert body.startswith("Bonjour Julie Roy,\n\nC'est confirmé : votre conseillère")
    assert f"Référence : {reference}\n" in body
    assert body.endswith("Au plaisir de vous rencontrer,\nL'équipe Cap numérique\n")
    assert "NumériQC" not in subject + body and "Numéro de réservation" not in body


def test_an_invitation_of_another_program(fictional: None) -> None:
    booking = scheduler()
    advisor = booking.availability.advisors[0]
    appointment = Appointment("CAP-ABCD2345", START, START + timedelta(hours=1), advisor, 0, 7)
    calendar = Calendar.from_ical(booking._ics(appointment, LEAD, cancelled=False))
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "CAP-ABCD2345@capnumerique.example.org"
    assert str(event["SUMMARY"]) == "Cap numérique : rendez-vous avec Fromagerie du Lac"
    assert str(event["DESCRIPTION"]) == "Référence : CAP-ABCD2345"
    assert str(calendar["PRODID"]) == "-//Carrefour numérique de l'Estrie//Cap numérique//FR"
    assert event["ORGANIZER"].params["CN"] == "Cap numérique"


def test_an_advisor_notification_of_another_program(fictional: None) -> None:
    team = Team(MailSettings("x <x@x>"), "equipe@capnumerique.example.org", "https://c/conseillers")
    composed = team_mail(NEW_LEAD, LEAD, team.link(7))
    assert composed == (
        "Nouvelle demande à Cap numérique : Fromagerie du Lac (70/100)",
        "Bonjour,\n\nFromagerie du Lac vient de faire sa demande (admissible, priorité 70/100).\n"
        "Le dossier : https://c/conseillers/pistes/7\n\nL'équipe Cap numérique\n",
    )
    booking = scheduler()
    appointment = Appointment(
        "CAP-ABCD2345", START, START + timedelta(hours=1), booking.availability.advisors[0], 0, 7
    )
    subject, body = booking._advisor_mail(appointment, LEAD, "new")
    assert subject == "Rendez-vous ajouté — Fromagerie du Lac, le mardi 24 novembre à 14 h"
    assert "Référence : CAP-ABCD2345\n\nPersonne-ressource : Julie Roy (propriétaire)," in body


def test_the_consent_of_another_program(fictional: None) -> None:
    version = current_version()
    assert version.version == "2026-09-v2"
    assert "Cap numérique" in version.wording and "NumériQC" not in version.wording


def test_the_real_pack_is_followed_again_after_another(
    fictional: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert current_emails().part("signature").template == "L'équipe Cap numérique"
    monkeypatch.delenv("PROGRAM_DIR")
    assert part("signature") == "L'équipe de 100 % NumériQC"


# Validation: each problem names the file and its line.


def test_a_misspelt_placeholder_names_its_line(tmp_path: Path) -> None:
    text = EMAILS_YML.replace(
        "Numéro de réservation : $reference\n  advisor_session_moved",
        "Numéro de réservation : $referense\n  advisor_session_moved",
    )
    (error,) = errors_of(emails_pack.load, tmp_path, "emails.yml", text)
    line = text.splitlines().index("      Numéro de réservation : $referense") + 1
    assert error.startswith(
        f"{tmp_path / 'emails.yml'}:{line}: emails.advisor_session_booked.body: "
    )
    assert "unknown placeholder $referense (known: $brand, " in error


def test_a_placeholder_of_another_message_is_refused(tmp_path: Path) -> None:
    text = EMAILS_YML.replace('reason: "Motif : $reason"', 'reason: "Motif : $website"')
    (error,) = errors_of(emails_pack.load, tmp_path, "emails.yml", text)
    assert error.startswith(
        f"{tmp_path / 'emails.yml'}:{line_of(text, 'reason: ')}: parts.reason: "
    )
    assert "$website" in error


def test_a_lone_dollar_is_refused(tmp_path: Path) -> None:
    text = EMAILS_YML.replace("no_brief: Diagnostic non rempli.", "no_brief: Diagnostic à 5 $")
    (error,) = errors_of(emails_pack.load, tmp_path, "emails.yml", text)
    assert f":{line_of(text, 'no_brief:')}: parts.no_brief: a $ that starts no placeholder" in error


def test_a_missing_or_unknown_template(tmp_path: Path) -> None:
    text = EMAILS_YML.replace("  no_brief: Diagnostic non rempli.\n", "  no_breif: Diagnostic.\n")
    errors = errors_of(emails_pack.load, tmp_path, "emails.yml", text)
    file = tmp_path / "emails.yml"
    assert errors == (
        f"{file}:{line_of(text, 'parts:')}: parts.no_brief: missing",
        f"{file}:{line_of(text, 'no_breif:')}: parts.no_breif: unknown part (known: "
        + ", ".join(PARTS)
        + ")",
    )


def test_an_e_mail_without_its_subject(tmp_path: Path) -> None:
    text = EMAILS_YML.replace('    subject: "Rappel demandé : $business"\n', "")
    (error,) = errors_of(emails_pack.load, tmp_path, "emails.yml", text)
    assert error == (
        f"{tmp_path / 'emails.yml'}:{line_of(text, 'team_callback_requested:')}: "
        "emails.team_callback_requested.subject: missing (a non-empty text)"
    )


def test_a_current_consent_version_that_does_not_exist(tmp_path: Path) -> None:
    text = CONSENT_YML.replace("current: 2026-11-v1", "current: 2026-12-v2")
    (error,) = errors_of(consent_pack.load, tmp_path, "consent.yml", text)
    assert error == (
        f"{tmp_path / 'consent.yml'}:{line_of(text, 'current:')}: current: no version "
        "2026-12-v2 (known: 2026-11-v1)"
    )


def test_a_consent_version_without_its_wording_or_with_an_old_one(tmp_path: Path) -> None:
    start = CONSENT_YML.index("  - version: 2026-11-v1")
    again = CONSENT_YML[start:].replace("2026-11-v1", "2026-12-v2")
    text = CONSENT_YML + again + "  - version: 2027-01-v3\n    purpose: vérifier\n"
    errors = errors_of(consent_pack.load, tmp_path, "consent.yml", text)
    file = tmp_path / "consent.yml"
    lines = text.splitlines()
    second = max(n for n, line in enumerate(lines, 1) if line.strip().startswith("wording:"))
    assert errors == (
        f"{file}:{second}: versions[1].wording: the same wording as an earlier version: a new "
        "version has a new wording",
        f"{file}:{line_of(text, '- version: 2027-01-v3')}: versions[2].wording: missing (a "
        "non-empty text)",
    )


# « Not in code »: no code literal holds a sentence of the real pack's templates. Each template
# is cut at its placeholders and line breaks into pieces of text; a piece of 25 characters or
# more written in a literal, or a literal of 40 characters or more written in a piece, is a
# sentence of the pack copied into code. Shorter texts (« Numéro de réservation : », « Bonjour, »)
# and the pack's single words are left alone: a form's question may use the same words. Literals
# are the code's strings that are not docstrings (`tests.pack_literals`).
PIECE, LITERAL = 25, 40


def pieces() -> set[str]:
    loaded = emails_pack.load(ROOT / "program")
    templates: list[Template] = [part for _, part in loaded.parts]
    for _, message in loaded.emails:
        templates += [message.subject, message.body]
    found = set()
    for template in templates:
        for line in template.template.splitlines():
            for piece in template.pattern.sub("\n", line).split("\n"):
                if len(piece.strip()) >= PIECE:
                    found.add(piece.strip())
    return found


def test_no_template_sentence_in_code() -> None:
    sentences = pieces()
    found = []
    for literal in strings():
        text = str(literal.value).strip()
        for sentence in sentences:
            if (len(sentence) >= PIECE and sentence in text) or (
                len(text) >= LITERAL and text in sentence
            ):
                found.append(f"{literal}: holds {sentence!r}")
    assert not found, "sentences of program/emails.yml written in code:\n" + "\n".join(found)


def test_no_consent_version_or_purpose_in_code() -> None:
    versions = consent_pack.load(ROOT / "program").versions
    facts = {v.version for v in versions} | {v.purpose for v in versions}
    found = [
        f"{literal}: holds {fact!r}"
        for literal in strings()
        for fact in facts
        if fact in str(literal.value)
    ]
    assert not found, "consent versions of program/consent.yml written in code:\n" + "\n".join(
        found
    )
