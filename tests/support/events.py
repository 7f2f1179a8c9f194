"""Events written straight into the database, the way the timeline writes them.

For the outbox and delivery tests (and ``bench/bench_notify.py``), which need events to alert
on without running detection.
"""

from __future__ import annotations

from typing import Any


def store_events(
    db: Any,
    count: int,
    *,
    start: int = 1,
    retailers: tuple[str, ...] = ("Système U", "Leclerc", "Lidl", "Casino", "Monoprix"),
    backfill: int = 0,
) -> list[str]:
    """Insert ``count`` events with seq ``start``… the way the timeline writes them; their keys."""
    keys = []
    for seq in range(start, start + count):
        name = retailers[(seq - 1) % len(retailers)]
        key = f"evt-{seq:04d}"
        db["events"].insert(
            {
                "key": key,
                "seq": seq,
                "kind": "status_change",
                "retailer": name.lower().replace(" ", "-").replace("è", "e"),
                "retailer_name": name,
                "old_status": "approached",
                "new_status": "declined",
                "reported": seq % 2,
                "sentence": f"{name} a décliné les avances d'Amazon (article {seq}).",
                "article_id": f"art-{seq}",
                "url": f"https://www.example.fr/articles/{seq}",
                "source": "Exemple",
                "story_id": f"story-{seq}",
                "published": f"2024-05-{1 + seq % 28:02d}T10:00:00+00:00",
                "created_at": "2024-06-01T00:00:00+00:00",
                "backfill": backfill,
            }
        )
        keys.append(key)
    return keys
