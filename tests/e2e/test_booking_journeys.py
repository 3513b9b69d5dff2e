"""The booking journeys of user testing, typed as merchants type them, through the running
product, on SQLite and on PostgreSQL: wishes understood wherever they are typed and said back,
a time confirming the proposed one, the session asked about without moving it, kept, moved to
the other format, and the in-person address in the chat, the e-mail and the invitation. The
scheduling clock is frozen on Monday 23 November 2026 at 10 h."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from bot.learning.booking_turns import ASK_WHEN, CONFIRM, reply_of
from bot.settings import Settings
from bot.storage.bookings import cancel
from bot.storage.database import sessions_for
from tests.conftest import FROZEN_NOW, Responses, new_postgres_database, running_stack
from tests.e2e.test_booking_conversation import buttons, event_of, mails_about, reference_in
from tests.e2e.test_diagnostic_conversation import DIAGNOSTIC, diagnose, eligible
from tests.e2e.test_intake_conversation import Chat, lead_of
from tests.storage.test_booking_form import body_of

ADDRESS = "1000, rue de l'Exemple, bureau 200, Québec QC G1K 0A1"
MONDAY_30_13H = "2026-11-30T13:00:00-05:00"  # Sophie Gagnon's, in person
FRIDAY_27_9H = "2026-11-27T09:00:00-05:00"  # Marc Lévesque's, by videoconference


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def journey_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The product with an empty calendar, on each database."""
    var = tmp_path_factory.mktemp(f"journeys-{request.param}")
    with ExitStack() as resources:
        database = (
            resources.enter_context(new_postgres_database())
            if request.param == "postgresql"
            else None
        )
        yield resources.enter_context(running_stack(var, database, frozen_clock=FROZEN_NOW))


def merchant(stack: Settings, responses: Responses) -> tuple[Chat, str]:
    chat = Chat(stack, responses)
    address = f"parcours-{uuid.uuid4().hex[:8]}@exemple.com"
    eligible(chat, address)
    return chat, address


def diagnosed(stack: Settings, responses: Responses) -> Chat:
    """A merchant who just read « Voulez-vous en choisir le moment maintenant? »."""
    chat, _ = merchant(stack, responses)
    diagnose(chat, DIAGNOSTIC)
    assert chat.say("oui") == ["utter_diagnostic_saved"], chat.last
    return chat


def booked(stack: Settings, responses: Responses, moment: str) -> tuple[Chat, str, str]:
    chat, address = merchant(stack, responses)
    chat.say("/request_booking")
    assert chat.say(moment) == [CONFIRM]
    assert chat.say("oui") == ["utter_booking_done"]
    return chat, address, reference_in(chat)


def free(stack: Settings, reference: str) -> None:
    """Cancel a session the journey booked, so the next journey finds the same calendar."""
    cancel(sessions_for(stack.database_url), reference)


@pytest.mark.parametrize(
    ("typed", "said_back", "day"),
    [
        ("jeudi prochain en après-midi", None, "jeudi 26 novembre"),
        (
            "oui, vendredi en avant-midi",
            "le vendredi 27 novembre en matinée",
            "vendredi 27 novembre",
        ),
        ("mercredi pm svp", "le mercredi 25 novembre en après-midi", "mercredi 25 novembre"),
    ],
)
def test_a_wish_typed_at_the_offer_after_the_diagnostic(
    journey_stack: Settings, responses: Responses, typed: str, said_back: str | None, day: str
) -> None:
    chat = diagnosed(journey_stack, responses)
    names = chat.say(typed)
    if said_back is None:  # « jeudi prochain »: this week's or next week's? Both named
        assert names == ["utter_ask_booking_day"]
        assert chat.last[-1]["text"] == (
            "Vous voulez dire le jeudi 26 novembre ou le jeudi 3 décembre?"
        )
        names = chat.say(buttons(chat)[0]["payload"])
        said_back = "le jeudi 26 novembre en après-midi"
    assert names == ["utter_booking_matching", ASK_WHEN]
    assert chat.last[0]["text"] == f"Voici les moments libres {said_back}."
    times = [b["title"] for b in buttons(chat)[:-1]]
    assert times and all(t.startswith(day) for t in times), times


@pytest.mark.parametrize(
    ("typed", "said_back"),
    [
        ("je veux prendre un rendez-vous jeudi prochain en après-midi", None),
        ("j'aimerais une rencontre mardi en après-midi", "le mardi 24 novembre en après-midi"),
        ("un rdv la semaine prochaine en matinée svp", "la semaine du 30 novembre en matinée"),
    ],
)
def test_a_wish_inside_the_request(
    journey_stack: Settings, responses: Responses, typed: str, said_back: str | None
) -> None:
    chat, _ = merchant(journey_stack, responses)
    names = chat.say(typed)
    if said_back is None:
        assert names == ["utter_ask_booking_day"]
        assert "le jeudi 26 novembre ou le jeudi 3 décembre" in chat.last[-1]["text"]
        return
    assert names == ["utter_booking_matching", ASK_WHEN]
    assert chat.last[0]["text"] == f"Voici les moments libres {said_back}."


@pytest.mark.parametrize("typed", ["13h c'est parfait", "parfait, à lundi!", "c'est beau"])
def test_the_proposed_time_confirmed_in_words(
    journey_stack: Settings, responses: Responses, typed: str
) -> None:
    chat, address = merchant(journey_stack, responses)
    chat.say("/request_booking")
    assert chat.say("lundi 30 novembre à 13 h") == [CONFIRM]
    assert chat.last[-1]["text"].startswith("Rencontre proposée : le lundi 30 novembre à 13 h")
    assert chat.say(typed) == ["utter_booking_done"]
    session = lead_of(journey_stack, address)["session"]
    assert session["starts_at"] == MONDAY_30_13H
    free(journey_stack, session["reference"])


@pytest.mark.parametrize(
    ("typed", "names", "words"),
    [
        ("le 22 décembre", ["utter_booking_beyond", ASK_WHEN], "Le mardi 22 décembre, ce n'est pas encore ouvert"),
        ("hier à 14 h", ["utter_booking_past", ASK_WHEN], "Le dimanche 22 novembre à 14 h, c'est déjà passé."),
        # a weekday said against the proposed Monday 30: that week's
        ("samedi matin", ["utter_booking_nothing_then", ASK_WHEN], "Rien n'est libre le samedi 5 décembre en matinée."),
        # the time alone is the proposed day's; sessions there start at 13 h, 14 h 15, 15 h 30
        ("non, 15h ça serait mieux", ["utter_booking_closest", ASK_WHEN], "Le lundi 30 novembre à 15 h n'est pas libre."),
        ("14h15 ça serait mieux", [CONFIRM], "Rencontre proposée : le lundi 30 novembre à 14 h 15"),
    ],
)  # fmt: skip
def test_a_refusal_or_an_other_proposal_names_what_was_understood(
    journey_stack: Settings, responses: Responses, typed: str, names: list[str], words: str
) -> None:
    chat, _ = merchant(journey_stack, responses)
    chat.say("/request_booking")
    assert chat.say(MONDAY_30_13H) == [CONFIRM]
    assert chat.say(typed) == names
    assert words in " ".join(m["text"] for m in chat.last)


@pytest.mark.parametrize(
    "question", ["mon rendez-vous {ref} c'est quand déjà?", "c'est à quelle heure mon rdv déjà?"]
)
def test_asking_when_the_session_is_does_not_start_a_move(
    journey_stack: Settings, responses: Responses, question: str
) -> None:
    chat, address, reference = booked(journey_stack, responses, MONDAY_30_13H)
    assert chat.say(question.format(ref=reference)) == ["utter_booking_check"]
    assert chat.last[0]["text"].startswith(
        "Votre rencontre est prévue le lundi 30 novembre à 13 h avec Sophie Gagnon, en personne"
    )
    assert chat.say("merci!") == ["utter_thanks"]  # no time asked for, nothing moved
    assert lead_of(journey_stack, address)["session"]["starts_at"] == MONDAY_30_13H
    free(journey_stack, reference)


@pytest.mark.parametrize("typed", ["je garde mon rendez-vous", "finalement je la garde"])
def test_keeping_the_session_after_asking_to_move_it(
    journey_stack: Settings, responses: Responses, typed: str
) -> None:
    chat, address, reference = booked(journey_stack, responses, MONDAY_30_13H)
    assert chat.say("je dois déplacer mon rendez-vous") == [
        "utter_booking_current",
        "utter_booking_next_free",
        ASK_WHEN,
    ]
    assert chat.say(typed) == ["utter_booking_kept"]
    session = lead_of(journey_stack, address)["session"]
    assert (session["reference"], session["starts_at"]) == (reference, MONDAY_30_13H)
    assert chat.say("je garde mon rendez-vous") == ["utter_booking_kept"]  # with nothing open
    free(journey_stack, reference)


def test_a_video_session_moved_to_in_person_gives_the_address(
    journey_stack: Settings, responses: Responses
) -> None:
    chat, address, reference = booked(journey_stack, responses, FRIDAY_27_9H)
    assert lead_of(journey_stack, address)["session"]["advisor"] == "marc"
    assert chat.say("je préférerais en personne plutôt qu'en vidéo") == [
        "utter_booking_current",
        "utter_booking_format",
        ASK_WHEN,
    ]
    assert chat.last[1]["text"] == "Voici les prochains moments libres en personne."
    offered = reply_of(chat, []).offered
    assert offered and all(t.weekday() in (0, 1, 2, 3) for t in offered)  # Sophie's days
    assert chat.say(MONDAY_30_13H) == [CONFIRM]
    assert (
        f"avec Sophie Gagnon, en personne (Bureaux de Québec numérique, {ADDRESS})"
        in (chat.last[-1]["text"])
    )
    assert chat.say("oui") == ["utter_booking_moved"]
    session = lead_of(journey_stack, address)["session"]
    assert (session["reference"], session["advisor"]) == (reference, "sophie")
    [mail] = [m for m in mails_about(journey_stack, reference) if m["To"] == address][-1:]
    assert f"Lieu : Bureaux de Québec numérique, {ADDRESS}" in body_of(mail)
    _, event = event_of(mail)
    assert str(event["LOCATION"]) == f"Bureaux de Québec numérique, {ADDRESS}"
    free(journey_stack, reference)


@pytest.mark.parametrize("typed", ["c'est où vos bureaux?", "la rencontre se passe où?"])
def test_where_sessions_happen(journey_stack: Settings, responses: Responses, typed: str) -> None:
    chat = Chat(journey_stack, responses)
    assert chat.say(typed) == ["utter_faq_session_place"]
    assert chat.last[0]["text"] == (
        "Selon le conseiller, la rencontre a lieu en personne (Bureaux de Québec numérique, "
        f"{ADDRESS}) ou par vidéoconférence (lien envoyé par courriel). L'adresse ou le lien est "
        "aussi dans votre courriel de confirmation."
    )
