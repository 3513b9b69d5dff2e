"""The live chat's rules, plain Python: when a person of the team can answer in the chat (opening
hours in Québec time, the program's closures), how long a merchant waits for one and how long a
silence lasts before the assistant takes the conversation back, how the merchant sees the team
member (« Sophie, conseillère ») and what the chat says at each step, in French.

The configuration is `config/live_chat.yml` (LIVE_CHAT_FILE), re-read when it changes. The
queue, the claim and the timeouts are stored by `bot.storage.live`; `bot.handoff` runs them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from bot.contact import answer_delay
from bot.scheduling import TIMEZONE
from bot.scheduling.closures import Closures
from bot.scheduling.config import WEEKDAYS, load_availability
from bot.settings import Settings
from bot.workspace import MANAGER

END_OF_DAY = time.max  # « 24:00 » in the file
WAITING, HELD, ENDED = "waiting", "held", "ended"
# Why a live chat ended.
HANDED_BACK, SILENCE, UNANSWERED, LEFT, FAILED = (
    "handed_back", "silence", "unanswered", "left", "failed",
)  # fmt: skip
DEFAULT_TITLES = {MANAGER: "gestionnaire"}
DEFAULT_TITLE = "conseiller"


@dataclass(frozen=True)
class LiveConfig:
    """When the team answers live, and its timeouts."""

    hours: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)  # Monday 0
    wait: timedelta = timedelta(seconds=120)
    silence: timedelta = timedelta(minutes=10)
    closures: bool = True  # closed on statutory holidays and the program's closures
    titles: dict[str, str] = field(default_factory=dict)  # advisor id or e-mail -> role


def _clock(text: str) -> time:
    text = text.strip()
    return END_OF_DAY if text == "24:00" else time.fromisoformat(text)


def _period(text: str) -> tuple[time, time]:
    start, end = (_clock(part) for part in text.split("-"))
    if end <= start:
        raise ValueError(f"live chat: period {text!r} ends before it starts")
    return start, end


def parse_config(data: object) -> LiveConfig:
    """The configuration from the file's YAML; a mistake is a clear error."""
    if not isinstance(data, dict):
        raise ValueError("live chat: the file must be a mapping")
    hours: dict[int, tuple[tuple[time, time], ...]] = {}
    for day, periods in (data.get("hours") or {}).items():
        if day not in WEEKDAYS:
            raise ValueError(f"live chat: unknown weekday {day!r}")
        hours[WEEKDAYS.index(day)] = tuple(_period(str(p)) for p in periods or ())
    wait, silence = int(data.get("wait_seconds", 120)), int(data.get("silence_minutes", 10))
    if wait < 1 or silence < 1:
        raise ValueError("live chat: wait_seconds and silence_minutes must be positive")
    titles = {str(k).lower(): str(v) for k, v in (data.get("titles") or {}).items()}
    return LiveConfig(
        hours=hours,
        wait=timedelta(seconds=wait),
        silence=timedelta(minutes=silence),
        closures=bool(data.get("closures", True)),
        titles=titles,
    )


@lru_cache(maxsize=8)
def _load(path: Path, _modified: float) -> LiveConfig:
    return parse_config(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_config(path: Path) -> LiveConfig:
    """`path`'s configuration, read again when the file changes; no file: never open."""
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return LiveConfig()
    return _load(path, modified)


def is_open(config: LiveConfig, closures: Closures, now: datetime) -> bool:
    """Whether a person of the team answers live at `now` (any aware moment)."""
    local = now.astimezone(TIMEZONE)
    if config.closures and closures.closed(local.date()):
        return False
    moment = local.time()
    return any(start <= moment < end for start, end in config.hours.get(local.weekday(), ()))


def available(settings: Settings, now: datetime) -> bool:
    """Whether a person answers live at `now`: the opening hours and the program's closures,
    and Rasa's API to pause the assistant configured (RASA_API_TOKEN)."""
    config = load_config(settings.live_chat_file)
    if not config.hours or not settings.rasa_api_token:
        return False
    return is_open(config, load_availability(settings.advisors_file).closures, now)


def _clock_words(moment: time) -> str:
    """« 9 h », « 16 h 30 », « midi », « minuit »."""
    if moment == END_OF_DAY:
        return "minuit"
    if moment == time(12):
        return "midi"
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _days_words(days: list[int]) -> str:
    """« du lundi au vendredi », « le samedi », « le lundi et le mercredi », « du lundi au
    mercredi et le vendredi » (three days in a row or more are a range)."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = []
    for run in runs:
        if len(run) > 2:
            names.append(f"du {WEEKDAYS[run[0]]} au {WEEKDAYS[run[-1]]}")
        else:
            names += [f"le {WEEKDAYS[d]}" for d in run]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def hours_words(config: LiveConfig) -> str:
    """The opening hours as people say them: « du lundi au jeudi, de 9 h à midi et de 13 h à
    16 h 30; le vendredi, de 9 h à midi »; "" when never open."""
    groups: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for day in range(7):
        periods = config.hours.get(day, ())
        if periods:
            groups.setdefault(periods, []).append(day)
    said = []
    for periods, days in groups.items():
        spans = " et ".join(f"de {_clock_words(s)} à {_clock_words(e)}" for s, e in periods)
        said.append(f"{_days_words(days)}, {spans}")
    return "; ".join(said)


def first_name(name: str) -> str:
    """The first word of a team member's name (« Marie-Ève » of « Marie-Ève Roy »)."""
    return (name.split() or ["L'équipe"])[0]


def shown_as(config: LiveConfig, name: str, email: str, role: str, advisor_id: str | None) -> str:
    """How the merchant sees a team member: first name and role, « Sophie, conseillère »."""
    title = config.titles.get((advisor_id or "").lower()) or config.titles.get(email.lower())
    return f"{first_name(name)}, {title or DEFAULT_TITLES.get(role, DEFAULT_TITLE)}"


def minutes_words(delay: timedelta) -> str:
    """« 2 minutes », « 1 minute » (rounded up)."""
    minutes = max(1, math.ceil(delay.total_seconds() / 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


# ---- what the chat says (vouvoiement, short)


def waiting_notice(config: LiveConfig) -> str:
    return (
        "C'est transmis : une personne de l'équipe va se joindre à la conversation d'ici "
        f"{minutes_words(config.wait)}. Vous pouvez déjà lui écrire ici."
    )


def joined_notice(shown: str) -> str:
    return f"{shown}, se joint à la conversation."


def ended_notice(
    outcome: str, config: LiveConfig, who: str, how: str, days: int, pending: bool = False
) -> str:
    """What the merchant reads when the live chat ends (`who`: the team member's first name;
    `how`: « par courriel » or « par téléphone », for a callback; `pending`: the question a
    form waits for is repeated right after)."""
    back = "l'assistant virtuel reprend là où vous en étiez :"
    if outcome == UNANSWERED:
        then = back if pending else "l'assistant virtuel peut répondre à vos questions."
        return (
            "Personne de l'équipe n'est libre en ce moment, désolé. Votre demande est transmise : "
            f"l'équipe vous répondra {how} {answer_delay(days)}. D'ici là, {then}"
        )
    if outcome == SILENCE:
        return (
            f"Sans nouvelles depuis {minutes_words(config.silence)}, "
            + (back if pending else "l'assistant virtuel reprend la conversation.")
            + (
                ""
                if pending
                else " Pour reparler à une personne, touchez « Parler à une personne »."
            )
        )
    if pending:
        return f"{who} a terminé : {back}"
    return (
        f"{who} a terminé : l'assistant virtuel reprend la conversation. Posez-lui vos "
        "questions sur le programme."
    )


def closed_intro(config: LiveConfig) -> str:
    """The « Parler à une personne » form's first words outside the opening hours."""
    hours = hours_words(config)
    when = f" ({hours})" if hours else ""
    return (
        f"L'équipe n'est pas en ligne en ce moment{when}. Laissez votre nom, un courriel ou un "
        "numéro de téléphone et votre message : elle vous répondra."
    )
