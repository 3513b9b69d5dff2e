"""What the booking conversation says back (`bot.scheduling.wish_words`), how a counter-proposal
is read against the proposed time (`understand_near`), and the merchant's words for a format,
for keeping a session and for a time at the booking offer."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.booking_form import asks_format, find_format, keeps
from bot.buttons import typed_choice
from bot.scheduling import TIMEZONE
from bot.scheduling.config import load_availability, places
from bot.scheduling.dates import understand, understand_near
from bot.scheduling.wish_words import wish_words
from tests.conftest import FROZEN_NOW

PROPOSED = datetime(2026, 11, 30, 13, tzinfo=TIMEZONE)  # Monday 30 November, 13 h


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("jeudi pm", "le jeudi 26 novembre en après-midi"),
        ("demain 14h", "le mardi 24 novembre à 14 h"),
        ("la semaine prochaine en matinée", "la semaine du 30 novembre en matinée"),
        ("n'importe quand sauf le lundi", "d'ici le dimanche 13 décembre, sauf le lundi"),
        ("vendredi fin de journée", "le vendredi 27 novembre entre 15 h et 17 h"),
        ("entre le 1er et le 4 décembre", "du 1er au 4 décembre"),
        ("entre 10 h et midi jeudi", "le jeudi 26 novembre entre 10 h et midi"),
        ("hier", "le dimanche 22 novembre"),
        ("du 28 novembre au 2 décembre", "du 28 novembre au 2 décembre"),
        (
            "mardi ou jeudi matin de la semaine prochaine",
            "le mardi 1er décembre ou le jeudi 3 décembre en matinée",
        ),
        ("oui mais pas le matin", "d'ici le dimanche 13 décembre en après-midi"),
        ("pas l'après-midi", "d'ici le dimanche 13 décembre en matinée"),
        ("jeudi, pas avant 11h", "le jeudi 26 novembre entre 11 h et 17 h"),
        ("mercredi entre 10 pis midi", "le mercredi 25 novembre entre 10 h et midi"),
        ("quelque chose avant noel", "d'ici le jeudi 24 décembre"),
        ("ok mais juste les mercredis", "les mercredis d'ici le dimanche 13 décembre"),
        (
            "sauf les lundis pis vendredis",
            "d'ici le dimanche 13 décembre, sauf le lundi et le vendredi",
        ),
        (
            "rien le matin, jfais la livraison. Mercredi pm?",
            "le mercredi 25 novembre en après-midi",
        ),
        ("le mercredi 18 a 10h", "le mercredi 18 novembre à 10 h"),  # past, not August's
    ],
)
def test_a_wish_is_said_back_in_french(text: str, words: str) -> None:
    assert wish_words(understand(text, FROZEN_NOW), FROZEN_NOW) == words


@pytest.mark.parametrize(
    ("text", "moment", "day"),
    [
        ("13h c'est parfait", "2026-11-30 13:00", None),
        ("non, 15h ça serait mieux", "2026-11-30 15:00", None),
        ("mettons le lendemain à la même heure", "2026-12-01 13:00", None),
        ("non plutôt le lundi d'après, même heure", "2026-12-07 13:00", None),
        ("même journée mais le matin", None, "2026-11-30"),
        ("plutôt le mardi", None, "2026-12-01"),
        ("parfait, à lundi!", None, "2026-11-30"),
        ("demain", None, "2026-11-24"),  # relative to today, not to the proposal
        ("la semaine d'après à la même heure", "2026-12-07 13:00", None),
        ("1h c'est serré, 3h30 correct?", "2026-11-30 15:30", None),  # the other time
        ("une heure plus tard?", "2026-11-30 14:00", None),
        ("meme heure le 18 dec?", "2026-12-18 13:00", None),
        ("lundi c'est plate, mais le mardi 1er à la même heure ça irait", "2026-12-01 13:00", None),
        ("lundi jsuis pogné au magasin, plutot le vendredi 4?", None, "2026-12-04"),
    ],
)
def test_a_counter_proposal_is_read_against_the_proposed_time(
    text: str, moment: str | None, day: str | None
) -> None:
    wish = understand_near(text, PROPOSED, FROZEN_NOW)
    if moment is not None:
        assert wish.exact == datetime.fromisoformat(moment).replace(tzinfo=TIMEZONE)
    else:
        assert (wish.exact, wish.start.date().isoformat()) == (None, day)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("plus tôt dans la journée si possible", "le lundi 30 novembre entre 8 h et 13 h"),
        ("plus tard dans l'aprem?", "le lundi 30 novembre entre 14 h et 17 h"),
    ],
)
def test_earlier_or_later_the_same_day(text: str, hours: str) -> None:
    assert wish_words(understand_near(text, PROPOSED, FROZEN_NOW), FROZEN_NOW) == hours


def test_a_refused_weekday_stays_refused_in_a_counter_proposal() -> None:
    wish = understand_near("non pas lundi, je suis fermé le lundi", PROPOSED, FROZEN_NOW)
    assert wish.excluded_weekdays == frozenset({0})


@pytest.mark.parametrize(
    ("text", "format_"),
    [
        ("je préférerais en personne plutôt qu'en vidéo", "en personne"),
        ("je préférerais en vidéo plutôt qu'au bureau", "par vidéoconférence"),
        ("pas en vidéo svp", "en personne"),
        ("non je veux pas en personne", "par vidéoconférence"),
        ("plutôt sur Zoom", "par vidéoconférence"),
        ("jeudi pm", None),
        ("parler à une personne", None),
    ],
)
def test_the_format_asked_for(text: str, format_: str | None) -> None:
    assert find_format(text) == format_


def test_a_question_about_formats_is_not_a_choice() -> None:
    assert asks_format("c'est en personne ou sur zoom?")
    assert not asks_format("en personne svp")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("je garde mon rendez-vous", True),
        ("finalement je la garde", True),
        ("je veux le garder", True),
        ("on laisse ça comme ça", True),
        ("laisse faire ma rencontre, je viendrai pas", False),  # a cancellation
        ("jeudi pm", False),
    ],
)
def test_keeping_the_session(text: str, kept: bool) -> None:
    assert keeps(text) is kept


OFFER = [
    {"title": "Choisir un moment", "payload": "/request_booking"},
    {"title": "Plus tard", "payload": "/deny"},
]


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("oui mardi matin si possible", "/request_booking"),
        ("vendredi fin de journée", "/request_booking"),
        ("non, pas cette semaine", None),
        ("oui mais combien ça coûte?", None),
        ("st'aprem si ya de la place", "/request_booking"),
        ("Oui. Idéalement en visioconférence, je suis à Saint-Raymond.", "/request_booking"),
        ("oui, le plus tôt sera le mieux", "/request_booking"),
        ("ok mais juste les mercredis", "/request_booking"),
    ],
)
def test_a_time_typed_at_the_booking_offer_chooses_a_moment(text: str, payload: str | None) -> None:
    assert typed_choice(text, OFFER) == payload


@pytest.mark.parametrize(
    "text",
    [
        "pas tusuite, je vous reviens la semaine prochaine",
        "tsé jsuis dans le rush des fetes, on s'en reparle en janvier",
        "Je préfère en discuter avec mon associée avant de m'engager. Merci!",
    ],
)
def test_putting_off_with_a_day_named_is_later_at_the_booking_offer(text: str) -> None:
    assert typed_choice(text, OFFER) == "/deny"


def test_a_time_is_no_click_where_booking_is_not_offered() -> None:
    yes_no = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    assert typed_choice("oui mardi matin", yes_no) is None
    # to a proposed time, the booking form itself pauses (« je vais attendre, je vous recontacte »)
    assert typed_choice("finalement je vais attendre, je vous recontacte", yes_no) is None


def test_the_places_name_the_in_person_address() -> None:
    said = places(load_availability().advisors)
    assert said.startswith("en personne (Bureaux de Québec numérique, 1000, rue de l'Exemple")
    assert said.endswith("ou par vidéoconférence (lien envoyé par courriel)")
