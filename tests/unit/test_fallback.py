"""Two-stage fallback: rephrase first, options after a second miss in a row."""

from bot.fallback import FALLBACK_ACTION, OPTIONS, REPHRASE, fallback_response


def test_first_miss_asks_to_rephrase() -> None:
    assert fallback_response(["action_session_start", "action_listen"]) == REPHRASE


def test_second_miss_in_a_row_offers_options() -> None:
    past = ["action_listen", FALLBACK_ACTION, "action_listen"]
    assert fallback_response(past) == OPTIONS


def test_third_miss_starts_over_with_rephrase() -> None:
    past = ["action_listen", FALLBACK_ACTION, "action_listen", FALLBACK_ACTION, "action_listen"]
    assert fallback_response(past) == REPHRASE


def test_an_understood_message_resets_the_streak() -> None:
    past = [FALLBACK_ACTION, "action_listen", "utter_faq_cost", "action_listen"]
    assert fallback_response(past) == REPHRASE


def test_no_history() -> None:
    assert fallback_response([]) == REPHRASE
