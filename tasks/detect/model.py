"""The detector's results as plain frozen dataclasses, their JSON shape (corpus/FORMAT.md), and
the per-article merge.

Merge rule (why several mentions per retailer may come out): FORMAT.md scores (id, retailer,
status) triples and its labels keep two statuses for one retailer when the text states two
different kinds of link, e.g. an existing partnership (lockers in Leclerc's stores) *and* a new
approach. So statuses fall on two axes: the courtship (rumored < approached < in_talks <
declined/denied) and the deal (partnership < acquired < ended). An article yields at most one
status per axis per retailer, the most definite one; an acquisition or an end supersedes a
rumour, an approach or talks (they led to it). Within a status a confirmed sentence beats a
reported one. Where a single status per (retailer, article) is wanted (DESIGN.md), take the
deal status when there is one (it is the standing link), else the courtship status.
"""

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


def merge(found: list[Mention]) -> list[Mention]:
    """One status per axis per retailer, the most definite; confirmed beats reported."""
    by_retailer: dict[str, dict[str, Mention]] = {}
    order: list[str] = []
    for mention in found:
        axis = "deal" if mention.status in DEALS else "courtship"
        slot = by_retailer.setdefault(mention.retailer, {})
        if mention.retailer not in order:
            order.append(mention.retailer)
        current = slot.get(axis)
        if current is None or _better(mention, current):
            slot[axis] = mention
    out: list[Mention] = []
    for retailer in order:
        slot = by_retailer[retailer]
        deal = slot.get("deal")
        court = slot.get("courtship")
        superseded = court is not None and court.status in COURTSHIP[:3]
        if deal is not None and deal.status in ("acquired", "ended") and superseded:
            court = None
        if deal is not None and court is not None and _asked(court):
            court = None  # "Des casiers Amazon chez X ?" asks what the body states
        if (
            deal is not None
            and court is not None
            and court.status in ("approached", "in_talks")
            and deal.status == "partnership"
            and deal.reported
        ):
            deal = None  # the deal only supposed is what the talks are about
        out.extend(m for m in (court, deal) if m is not None)
    return out


def _asked(mention: Mention) -> bool:
    """A rumour the detector made of a deal asked about in a question."""
    return mention.status == "rumored" and "+question" in mention.rule


def _better(new: Mention, old: Mention) -> bool:
    rank_new, rank_old = DEFINITENESS[new.status], DEFINITENESS[old.status]
    if rank_new != rank_old:
        return rank_new > rank_old
    return old.reported and not new.reported
