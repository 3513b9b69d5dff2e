"""One Duckling (in-process, French of Canada) for the whole process: started once, with the
time zones loaded once, shared by the date reader and the quantity reader."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import duckling


@lru_cache(maxsize=1)
def runtime() -> tuple[Any, Any]:
    """Duckling's time zones and French (Canada) locale, after starting Duckling."""
    duckling.init()
    zones = duckling.load_time_zones("/usr/share/zoneinfo")
    locale = duckling.parse_locale("FR_CA", duckling.default_locale_lang(duckling.parse_lang("FR")))
    return zones, locale
