"""An unexpected error in any route answers a French JSON 500, never Sanic's HTML page."""

from __future__ import annotations

from bot.settings import load_settings
from bot.web.app import create_app


def test_an_unexpected_error_is_a_french_json_500() -> None:
    app = create_app(load_settings(), name="errors_test")

    @app.get("/boom")
    async def boom(_request: object) -> None:
        raise RuntimeError("secret detail")

    _, reply = app.test_client.get("/boom")
    assert reply.status == 500 and reply.json == {
        "error": "Une erreur inattendue est survenue. Réessayez dans un instant."
    }
    assert "secret detail" not in reply.text


def test_a_null_byte_in_a_path_is_a_french_404() -> None:
    """Found by fuzzing: Sanic's static handler raised ValueError (embedded null byte)."""
    app = create_app(load_settings(), name="null_byte_test")
    for method in ("get", "head"):
        _, reply = getattr(app.test_client, method)("/static/../bot/settings.py%00%0Ap")
        assert reply.status == 404, method
    _, reply = app.test_client.get("/static/widget.js%00")
    assert reply.json == {"error": "Page introuvable."}
