"""Missed messages grouped by similarity, without a model: a message joins a group when its
folded text (lower case, no accents or punctuation: `bot.text.fold`) is the group's, or when it
shares at least `SIMILAR` (Jaccard) of its character trigrams with the group's first message
and the model suggests the same intent for both. Trigrams absorb typos, plurals and word order
(« c'est combien le cours » / « combien coute le cours »); requiring the same suggested intent
keeps apart two messages that look alike but ask different things (« livraison gratuite? » /
« livraison à Lévis? »). Greedy and incremental: each message is placed once, when the
scanning job stores it, so a group never changes under the team's eyes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.text import fold

SIMILAR = 0.5


def trigrams(folded: str) -> frozenset[str]:
    """The character trigrams of a folded text, its ends marked (« ab » still has two)."""
    padded = f"  {folded} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(first: str, second: str) -> float:
    """Jaccard similarity of two folded texts' character trigrams (1.0: the same text)."""
    if first == second:
        return 1.0
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass(frozen=True)
class Leader:
    """A group as new messages are compared with it: its id, its first message's folded text
    and suggested intent."""

    group_id: int
    folded: str
    intent: str | None


class Leaders:
    """The groups' leaders indexed for `group_for`: by folded text (the same text joins whatever
    its intent) and by suggested intent (only those are compared), in the order they came."""

    def __init__(self, leaders: Iterable[Leader] = ()) -> None:
        self.by_text: dict[str, int] = {}
        self.by_intent: dict[str | None, list[Leader]] = {}
        for leader in leaders:
            self.add(leader)

    def add(self, leader: Leader) -> None:
        self.by_text.setdefault(leader.folded, leader.group_id)
        self.by_intent.setdefault(leader.intent, []).append(leader)

    def group_for(self, text: str, intent: str | None) -> int | None:
        """The group a message joins (the most similar one), or None: it starts its own."""
        folded = fold(text)
        if folded in self.by_text:
            return self.by_text[folded]
        best, best_score = None, 0.0
        for leader in self.by_intent.get(intent, ()):
            score = similarity(folded, leader.folded)
            if score >= SIMILAR and score > best_score:
                best, best_score = leader.group_id, score
        return best
