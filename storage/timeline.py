"""Stories, near-duplicate signatures, mentions and events (owned by the timeline work)."""

from __future__ import annotations

import sqlite_utils


def create_timeline_tables(db: sqlite_utils.Database) -> None:
    """Create the stories, signatures, mentions and events tables."""
    # The events table is a contract with the outbox (storage/outbox.py): keep these columns.
    db["events"].create(
        {
            "key": str,  # deterministic: hash of (kind, retailer, new status, story)
            "seq": int,  # insertion order, for delivering in order
            "kind": str,  # new_retailer | status_change | confirmed
            "retailer": str,  # slug
            "retailer_name": str,  # display name, e.g. "Système U"
            "old_status": str,  # null for new_retailer
            "new_status": str,
            "reported": int,  # 1 = unconfirmed (conditional, rumour, "selon")
            "sentence": str,
            "article_id": str,
            "url": str,
            "source": str,  # the outlet (site name or host)
            "story_id": str,
            "published": str,
            "created_at": str,
            "backfill": int,  # 1 = from a backfill or a big batch: delivered as a digest
        },
        pk="key",
        defaults={"backfill": 0, "reported": 0},
    )
    db["events"].create_index(["seq"], unique=True)
    db["events"].create_index(["retailer"])
