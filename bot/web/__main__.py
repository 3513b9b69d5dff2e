"""Run the web app: `python -m bot.web` (host and port from the settings)."""

from bot import log_privacy
from bot.settings import load_settings
from bot.web.app import create_app

if __name__ == "__main__":
    settings = load_settings()
    app = create_app(settings)
    log_privacy.install()  # after the app: Sanic's log handlers exist by then
    app.run(host=settings.web_host, port=settings.web_port, access_log=False, motd=False)
