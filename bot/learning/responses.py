"""Which of the responses a bot message is (the pack's, `program/responses/`): how the measures
(and the tests) judge the replies merchants see, whatever today's wording."""

from __future__ import annotations

import re

from bot.pack.responses import responses


class Responses:
    """The current pack's responses, to tell which response a bot message is."""

    def __init__(self) -> None:
        self.patterns: dict[str, list[re.Pattern[str]]] = {
            name: [self._pattern(v["text"]) for v in variants]
            for name, variants in responses().items()
        }

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
