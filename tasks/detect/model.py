"""The detector's results as plain frozen dataclasses, and their JSON shape (corpus/FORMAT.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Courtship statuses describe Amazon's pursuit of a retailer; deal statuses describe a link that
# exists (or existed). Within each axis the later status is the more definite one.
COURTSHIP = ("rumored", "approached", "in_talks", "declined", "denied")
DEALS = ("partnership", "acquired", "ended")
DEFINITENESS = {status: rank for rank, status in enumerate(COURTSHIP)} | {
    status: rank for rank, status in enumerate(DEALS)
}


@dataclass(frozen=True)
class Mention:
    """One retailer's relation with the actor, as one article states it."""

    retailer: str
    status: str
    reported: bool
    sentence: str
    discovered: bool = False
    cue: str = ""
    rule: str = ""

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        """The contract's mention; ``explain`` adds the cue, the rule and ``discovered``."""
        out: dict[str, Any] = {
            "retailer": self.retailer,
            "status": self.status,
            "reported": self.reported,
            "sentence": self.sentence,
        }
        if explain:
            out["cue"] = self.cue
            out["rule"] = self.rule
        if self.discovered:
            out["discovered"] = True
        return out


@dataclass(frozen=True)
class Detection:
    """Whether an article is about the storyline, and the relations it states."""

    relevant: bool
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self, id: Any, explain: bool = False) -> dict[str, Any]:
        """``{"id", "relevant", "mentions": [...]}`` as ``veille detect`` writes it."""
        return {
            "id": id,
            "relevant": self.relevant,
            "mentions": [m.to_json(explain) for m in self.mentions],
        }
