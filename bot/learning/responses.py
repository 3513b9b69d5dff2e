"""Which of the domain's responses a bot message is: how the measures (and the tests) judge the
replies merchants see, whatever today's wording."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import ROOT


class Responses:
    """The domain's responses, to tell which response a bot message is."""

    def __init__(self, domain_dir: Path = ROOT / "domain") -> None:
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        for path in sorted(domain_dir.glob("*.yml")):
            for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
                self.patterns[name] = [self._pattern(v["text"]) for v in variants]

    @staticmethod
    def _pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{\w+\}", template)
        return re.compile(".+".join(re.escape(part) for part in parts) + r"\Z", re.DOTALL)

    def name_of(self, text: str) -> str:
        """The response `text` comes from, or "<unknown: text>"."""
        for name, patterns in self.patterns.items():
            if any(p.match(text) for p in patterns):
                return name
        return f"<unknown: {text}>"
