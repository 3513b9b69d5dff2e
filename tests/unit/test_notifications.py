"""The e-mails about leads, without a database: the team's (recipient, subject, link, no contact
details), the merchant's after a person's review (French, the outcome, who and when), the digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.mail import MailSettings
from bot.notifications import (
    CALLBACK_REQUESTED,
    NEW_LEAD,
    REVIEW_REQUESTED,
    Team,
    digest_mail,
    review_mail,
    team_for,
    team_mail,
)
from bot.settings import load_settings
from bot.storage.leads import LeadCard
from bot.storage.queues import ReviewOutcome

TEAM = Team(MailSettings("NumériQC <noreply@x>"), "equipe@qcnum.example",
            "https://numeriqc.example/conseillers")  # fmt: skip
MARIE = LeadCard(
    lead_id=7, business="Boutique Chez Marie", sector="commerce de détail",
    contact="Marie Tremblay", role="propriétaire", email="marie@exemple.com",
    phone="+14185551234", outcome="admissible", score=85, brief="Un site à refaire.",
)  # fmt: skip
WEBSITE = "https://100numeriqc.qcnum.com"
AT = datetime(2026, 11, 24, 19, 30, tzinfo=timezone.utc)  # 14 h 30 in Québec


def no_contact_details(text: str) -> bool:
    return all(x not in text for x in ("+1418", "555", "marie@", "Marie Tremblay", "Un site"))


@pytest.mark.parametrize(
    ("event", "subject", "words"),
    [
        (NEW_LEAD, "Nouvelle piste (admissible, priorité 85/100) : Boutique Chez Marie",
         "attend un premier contact"),
        (REVIEW_REQUESTED, "Révision demandée : Boutique Chez Marie", "Confirmez-la ou renversez-la"),
        (CALLBACK_REQUESTED, "Rappel demandé : Boutique Chez Marie", "qu'on le rappelle"),
    ],
)  # fmt: skip
def test_the_teams_mail_names_the_business_and_links_to_the_lead(
    event: str, subject: str, words: str
) -> None:
    composed = team_mail(event, MARIE, TEAM.link(MARIE.lead_id))
    assert composed is not None
    title, body = composed
    assert title == subject
    assert words in body and "Priorité : 85/100" in body and "Décision : admissible" in body
    assert "Dossier : https://numeriqc.example/conseillers/pistes/7" in body
    assert no_contact_details(title + body)


def test_a_new_lead_is_announced_only_if_eligible_or_to_examine() -> None:
    link = TEAM.link(7)
    examine = LeadCard(**{**MARIE.__dict__, "outcome": "à examiner"})
    refused = LeadCard(**{**MARIE.__dict__, "outcome": "non admissible"})
    assert team_mail(NEW_LEAD, examine, link) is not None
    assert team_mail(NEW_LEAD, refused, link) is None
    with pytest.raises(ValueError):
        team_mail("autre chose", MARIE, link)


def review(overturned: bool) -> ReviewOutcome:
    return ReviewOutcome("Marie Tremblay", "marie@exemple.com", "Boutique Chez Marie",
                         overturned, "Votre boutique est bien à Québec.", "Sophie Gagnon", AT)  # fmt: skip


def test_the_merchant_learns_a_person_overturned_the_refusal() -> None:
    subject, body = review_mail(review(True), WEBSITE, "vie.privee@qcnum.example")
    assert subject == "Révision de votre demande : votre commerce est admissible"
    assert body.startswith("Bonjour Marie Tremblay,\n\nVous avez demandé qu'une personne révise")
    assert (
        "Sophie Gagnon, de l'équipe du programme, a révisé votre dossier le mardi 24 novembre à 14 h 30"
        in body
    )
    assert "la décision automatique est renversée : votre commerce est admissible" in body
    assert "Motif : Votre boutique est bien à Québec." in body
    assert "prendre rendez-vous" in body and WEBSITE in body
    assert "vie.privee@qcnum.example" in body and body.endswith("L'équipe de 100 % NumériQC\n")


def test_the_merchant_learns_the_refusal_is_kept_and_where_else_to_go() -> None:
    subject, body = review_mail(review(False), WEBSITE)
    assert subject == "Révision de votre demande : la décision est maintenue"
    assert "la décision automatique est maintenue : votre commerce n'est pas admissible" in body
    assert "CQCD" in body and "SDC" in body and "renseignements personnels" not in body


def test_the_digest_ranks_the_days_leads_by_priority() -> None:
    low = LeadCard(**{**MARIE.__dict__, "lead_id": 8, "business": "Café", "score": 20})
    since = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)
    composed = digest_mail([low, MARIE], TEAM, since)
    assert composed is not None
    subject, body = composed
    assert subject == "2 nouvelles pistes depuis le lundi 23 novembre"
    assert body.index("Boutique Chez Marie") < body.index("Café")
    assert "https://numeriqc.example/conseillers/pistes/8" in body and no_contact_details(body)
    one = digest_mail([low], TEAM, since)
    assert one is not None and one[0] == "1 nouvelle piste depuis le lundi 23 novembre"
    assert digest_mail([], TEAM, since) is None


def test_the_team_address_and_links_come_from_the_settings(tmp_path: Path) -> None:
    settings = replace(load_settings(), team_email="equipe@x", workspace_url="", var_dir=tmp_path)
    team = team_for(settings)
    assert team.address == "equipe@x" and team.mail.outbox == tmp_path / "outbox"
    assert team.link(3) == f"{settings.web_url}/conseillers/pistes/3"
    with_url = team_for(replace(settings, workspace_url="https://espace.example"))
    assert with_url.link(3) == "https://espace.example/conseillers/pistes/3"
