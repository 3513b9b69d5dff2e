"""The action server (`python -m actions`): rasa-sdk's app on ACTION_HOST:ACTION_PORT, answering
only the requests that carry the shared token Rasa sends (`Authorization: Bearer ACTION_TOKEN`,
set in `endpoints.yml`); its health check stays open."""

from __future__ import annotations

import hmac
import logging
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Request, response
from sanic.response import HTTPResponse

from bot.settings import load_settings

log = logging.getLogger("actions.server")


def main() -> int:
    settings = load_settings()
    if not settings.action_token:
        print("ACTION_TOKEN is not set: the action server does not start without it.")
        return 2
    utils.configure_colored_logging(settings.log_level)
    utils.update_sanic_log_level()
    app = create_app("actions", cors_origins=None)
    expected = f"Bearer {settings.action_token}"

    @app.middleware("request")
    async def only_rasa(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("action server: request without the shared token refused")
            return response.json({"error": "unauthorised"}, status=401)
        return None

    @app.listener("after_server_start")
    async def started(*_: object) -> None:
        log.info(  # the line rasa-sdk's own runner writes: operators grep for it
            "Action endpoint is up and running on http://%s:%s",
            settings.action_host,
            settings.action_port,
        )

    app.run(settings.action_host, settings.action_port, workers=1, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
