"""« Messages manqués » through Sanic's test client, on SQLite and PostgreSQL: managers and the
advisors given it (others get a 403 and no link), the groups masked with their counts and
filters, labelling by one person and approval by another (the proposer is refused), the CSRF
token, a test set's message refused in French, the conversation read (journaled) unless it is
another advisor's lead's, bad input answered in French."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from sanic import Sanic
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.storage import missed
from bot.storage.models import AuditEntry, MissedMessage
from tests.conftest import FROZEN_NOW
from tests.storage.test_analytics import EVENTS
from tests.storage.test_missed_inbox import empty_inbox, say
from tests.unit.test_missed_detection import FALLBACK_TURN, bot, user
from tests.web.test_workspace import Browser, app, lead, settings, signed_in

__all__ = ["app", "settings"]
PAGE = "/conseillers/manques"


@pytest.fixture
def tracker(settings: Settings, sessions: sessionmaker[Session], database_url: str) -> str:
    """The tracker store (SQLite, as the embedded default) with missed messages, scanned."""
    empty_inbox(database_url)
    url = settings.tracker_url
    engine = create_engine(url)
    EVENTS.create(engine)
    engine.dispose()
    say(url, "conv-marie", *FALLBACK_TURN)
    say(url, "conv-luc", *FALLBACK_TURN)
    say(url, "conv-luc", user("écrivez à luc@gite.ca <b>svp</b> 😀", "faq_contact", 0.3), bot("…"))
    say(url, "conv-heldout", user("C'est-tu gratis votre affaire?", "faq_cost", 0.4), bot("…"))
    assert missed.scan(sessions, url) == 4
    return url


def groups(sessions: sessionmaker[Session]) -> dict[str, int]:
    return {g.text: g.group_id for g in missed.inbox(sessions)}


def test_managers_and_advisors_given_it_only(
    app: Sanic, sessions: sessionmaker[Session], tracker: str
) -> None:
    assert Browser(app).get(PAGE).status == 302
    sophie = signed_in(app, "sophie@qcnum.example")
    refused = sophie.get(PAGE)
    assert refused.status == 403 and "Réservé aux gestionnaires" in refused.text
    assert f'href="{PAGE}"' not in sophie.get("/conseillers/").text
    group = groups(sessions)["vous faites du porte-à-porte?"]
    url = f"{PAGE}/groupes/{group}/etiquette"
    assert sophie.post(url, {"etiquette": "bruit"}).status == 403
    missed.give_inbox(sessions, "Sophie@qcnum.example", True)
    assert f'href="{PAGE}">Messages manqués</a>' in sophie.get("/conseillers/").text
    assert sophie.get(PAGE).status == 200
    manager = signed_in(app, "gestion@qcnum.example")
    assert f'href="{PAGE}">Messages manqués</a>' in manager.get("/conseillers/").text
    missed.give_inbox(sessions, "sophie@qcnum.example", False)
    assert sophie.get(PAGE).status == 403
    with pytest.raises(LookupError):
        missed.give_inbox(sessions, "personne@qcnum.example", True)


def test_the_groups_masked_most_frequent_first_with_filters(
    app: Sanic, sessions: sessionmaker[Session], tracker: str
) -> None:
    page = signed_in(app, "gestion@qcnum.example").get(PAGE)
    html = page.text
    assert page.status == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert html.index("« vous faites du porte-à-porte? »") < html.index("[courriel]")
    assert "<strong>2 fois</strong>" in html
    assert "écrivez à [courriel] &lt;b&gt;svp&lt;/b&gt; 😀" in html and "luc@gite.ca" not in html
    assert "Intention suggérée : Qu&#39;est-ce que ça comprend?" in html
    assert "Confirmer « Qu&#39;est-ce que ça comprend? »" in html
    assert '<option value="faq_cost">Combien ça coûte? (faq_cost)</option>' in html
    assert "Voir la conversation" in html and "Non compris" in html
    doubtful = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?raison=doubtful").text
    assert "[courriel]" in doubtful and "porte-à-porte" not in doubtful
    assert '<option value="doubtful" selected>' in doubtful
    odd = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?raison=%3Cx%3E&statut=zz")
    assert odd.status == 200 and "porte-à-porte" in odd.text  # unknown filters are ignored
    none = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?statut=approuvé").text
    assert "Aucun message manqué pour ces filtres." in none
    found = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?mots=PORTE+a+porte").text
    assert "porte-à-porte" in found and "[courriel]" not in found and "1 groupe" in found
    assert 'name="mots" type="search" maxlength="100" value="PORTE a porte"' in found
    for odd_words in ("' OR 1=1 --", "<script>", "x" * 5000):
        query = urlencode({"mots": odd_words})
        nothing = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?{query}")
        assert nothing.status == 200 and "Aucun message manqué pour ces filtres." in nothing.text
    every = signed_in(app, "gestion@qcnum.example").get(f"{PAGE}?mots=%25").text
    assert "porte-à-porte" in every and "[courriel]" in every  # no words: no wildcard either


def test_four_eyes_through_the_pages(
    app: Sanic, sessions: sessionmaker[Session], tracker: str
) -> None:
    missed.give_inbox(sessions, "sophie@qcnum.example", True)
    sophie, manager = (signed_in(app, f"{who}@qcnum.example") for who in ("sophie", "gestion"))
    group = groups(sessions)["vous faites du porte-à-porte?"]
    label = f"{PAGE}/groupes/{group}/etiquette"
    # Without the session's token, nothing changes.
    assert sophie.post(label, {"etiquette": "bruit"}, csrf=False).status == 403
    assert sophie.post(label, {"etiquette": "bruit", "csrf": "faux"}, csrf=False).status == 403
    assert missed.inbox(sessions)[0].waiting("proposé") == []
    done = sophie.post(label, {"etiquette": "intention", "intention": "faq_coaching",
                               "raison": "fallback"})  # fmt: skip
    assert done.status == 303
    assert done.headers["location"] == f"{PAGE}?raison=fallback&fait=propose#groupe-{group}"
    shown = sophie.get(f"{PAGE}?raison=fallback&fait=propose").text
    assert "Étiquette proposée : une autre personne doit maintenant l&#39;approuver." in shown
    assert "Vous avez proposé cette étiquette" in shown
    review = f"{PAGE}/groupes/{group}/approbation"
    own = sophie.post(review, {"decision": "approuver"})
    assert own.status == 403 and "une autre personne doit l&#39;approuver" in own.text
    assert missed.approved_examples(sessions) == []
    assert manager.post(review, {"decision": "peut-être"}).status == 400
    assert manager.post(review, {"decision": "approuver"}).status == 303
    assert (
        missed.approved_examples(sessions)
        == [("faq_coaching", "vous faites du porte-à-porte?")] * 2
    )
    page = manager.get(f"{PAGE}?statut=approuvé").text
    assert "approuvé par Gestion" in page
    # One message alone: a new topic with its draft answer, refused by the other person.
    [message] = missed.inbox(sessions, reason="doubtful", status="nouveau")[0].messages[:1]
    one = f"{PAGE}/messages/{message.message_id}/etiquette"
    empty = manager.post(one, {"etiquette": "sujet", "reponse": " "})
    assert empty.status == 400 and "brouillon de réponse" in empty.text
    assert manager.post(one, {"etiquette": "sujet", "reponse": "On vous écrit."}).status == 303
    decided = sophie.post(
        f"{PAGE}/messages/{message.message_id}/approbation", {"decision": "refuser"}
    )
    assert decided.status == 303 and decided.headers["location"] == f"{PAGE}?fait=refuse"
    with sessions() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["étiquette proposée", "étiquette approuvée", "étiquette proposée",
                       "étiquette refusée"]  # fmt: skip


def test_bad_input_and_a_test_sets_message(
    app: Sanic, sessions: sessionmaker[Session], tracker: str
) -> None:
    manager = signed_in(app, "gestion@qcnum.example")
    heldout = groups(sessions)["C'est-tu gratis votre affaire?"]
    refused = manager.post(f"{PAGE}/groupes/{heldout}/etiquette",
                           {"etiquette": "intention", "intention": "faq_cost"})  # fmt: skip
    assert refused.status == 400 and "figure dans un jeu de test" in refused.text
    odd = manager.post(f"{PAGE}/groupes/{heldout}/etiquette", {"etiquette": "autre"})
    assert odd.status == 400 and "Choisissez une étiquette" in odd.text
    unknown = manager.post(f"{PAGE}/groupes/{heldout}/etiquette",
                           {"etiquette": "intention", "intention": "<script>"})  # fmt: skip
    assert unknown.status == 400 and "<script>" not in unknown.text
    assert manager.post(f"{PAGE}/groupes/99999/etiquette", {"etiquette": "bruit"}).status == 404
    assert manager.get(f"{PAGE}/messages/99999/conversation").status == 404
    too_long = manager.post(f"{PAGE}/groupes/{heldout}/etiquette",
                            {"etiquette": "sujet", "reponse": "x" * 2001})  # fmt: skip
    assert too_long.status == 400 and "dépasse 2000 caractères" in too_long.text


def test_the_conversation_of_a_message(
    app: Sanic, sessions: sessionmaker[Session], tracker: str, tmp_path: Path
) -> None:
    lead(sessions, "Chez Marie", "marc", conversation_id="conv-marie")
    by_sender = {m.sender_id: m.message_id for g in missed.inbox(sessions) for m in g.messages}
    manager = signed_in(app, "gestion@qcnum.example")
    page = manager.get(f"{PAGE}/messages/{by_sender['conv-marie']}/conversation")
    assert page.status == 200
    assert "vous faites du porte-à-porte?" in page.text and "Dossier de cette piste" in page.text
    with sessions() as session:
        [entry] = session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.detail) == (
        "lecture (messages manqués)", f"conversation du message {by_sender['conv-marie']}",
    )  # fmt: skip
    missed.give_inbox(sessions, "sophie@qcnum.example", True)
    sophie = signed_in(app, "sophie@qcnum.example")
    other = sophie.get(f"{PAGE}/messages/{by_sender['conv-marie']}/conversation")
    assert other.status == 403 and "ne vous est pas confié" in other.text  # Marc's lead
    assert sophie.get(f"{PAGE}/messages/{by_sender['conv-luc']}/conversation").status == 200


def test_25_groups_a_page(app: Sanic, sessions: sessionmaker[Session], tracker: str) -> None:
    with sessions.begin() as session:
        for number in range(25):  # 25 more groups of one message, on top of the 3 scanned
            session.add(
                MissedMessage(
                    event_id=10_000 + number, sender_id=None, text=f"question {number}",
                    folded=f"question {number}", reason="doubtful", intent="faq_cost",
                    confidence=0.4, said_at=FROZEN_NOW, group_id=10_000 + number,
                )
            )  # fmt: skip
    manager = signed_in(app, "gestion@qcnum.example")
    first = manager.get(PAGE).text
    assert "28 groupes, 29 messages." in first and first.count('<section class="card"') == 25
    assert "Page 1 sur 2" in first and f'href="{PAGE}?page=2"' in first
    second = manager.get(f"{PAGE}?page=2").text
    assert second.count('<section class="card"') == 3 and "Page précédente" in second
    assert manager.get(f"{PAGE}?page=99").text.count('<section class="card"') == 3
    filtered = manager.get(f"{PAGE}?raison=doubtful").text
    assert f'href="{PAGE}?raison=doubtful&amp;page=2"' in filtered
