"""Stories, timeline and events on a real SQLite database.

Detection is faked: each article carries a Detection built by hand, so these tests check the
storyline (stories, status order, events, idempotence) and not the detector's accuracy. The
articles are short French texts written for these tests, modelled on the seed storyline.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from storage import timeline as tl
from storage.db import open_db, transaction
from tasks.storyline import (
    current_board,
    rebuild_timeline,
    record_story_and_events,
    retailer_timeline,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from dedupe_variants import five_outlets


@dataclass(frozen=True)
class Mention:
    retailer: str
    status: str
    reported: bool
    sentence: str = ""
    discovered: bool = False


@dataclass(frozen=True)
class Detection:
    relevant: bool
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    published: str
    source: str
    detection: Detection

    @property
    def url(self) -> str:
        return f"https://{self.source}/{self.id}"


CONTACTS = Article(
    "contacts",
    "Amazon frappe à la porte des distributeurs français",
    "Le géant américain du commerce en ligne multiplie les contacts avec la grande distribution "
    "française, selon nos informations. Des discussions ont été engagées avec le groupe Casino au "
    "sujet de son enseigne Monoprix, mais le distributeur stéphanois n'a pas donné suite. « Il "
    "n'est pas question de céder Monoprix », confie un dirigeant. Amazon aurait également sondé "
    "Intermarché et Système U, deux groupements d'indépendants ; Système U a fait savoir qu'il ne "
    "donnerait pas suite à cette approche portant sur les achats.",
    "2017-10-03T06:00:00+00:00",
    "quotidien.example",
    Detection(
        True,
        [
            Mention("casino", "approached", True, "Des discussions ont été engagées avec Casino"),
            Mention("casino", "declined", False, "le distributeur n'a pas donné suite"),
            Mention("intermarche", "approached", True, "Amazon aurait également sondé Intermarché"),
            Mention("systeme-u", "approached", True, "Amazon aurait également sondé Système U"),
            Mention("systeme-u", "declined", False, "Système U ne donnerait pas suite"),
        ],
    ),
)
LECLERC = Article(
    "leclerc",
    "Michel-Edouard Leclerc confirme avoir été approché par Amazon",
    "Michel-Edouard Leclerc l'a reconnu mercredi devant des journalistes : son groupement a bien "
    "été approché par Amazon. Le patron des centres Leclerc n'exclut pas que la firme de Seattle "
    "devienne un jour le logisticien de ses magasins, qui accueillent déjà des consignes de "
    "retrait. Dans les salles de marché, une rumeur prête par ailleurs à Amazon l'intention de "
    "racheter Carrefour, une hypothèse que les analystes jugent peu crédible compte tenu de la "
    "taille du groupe. Casino, de son côté, a refusé les avances américaines.",
    "2017-10-04T14:30:00+00:00",
    "business.example",
    Detection(
        True,
        [
            Mention("leclerc", "approached", False, "son groupement a bien été approché"),
            Mention("leclerc", "partnership", True, "la firme pourrait devenir le logisticien"),
            Mention("carrefour", "rumored", True, "une rumeur prête l'intention de racheter"),
            Mention("casino", "declined", False, "Casino a refusé les avances américaines"),
        ],
    ),
)
PARTNERSHIP = Article(
    "partenariat",
    "Amazon et Leclerc signent un partenariat logistique",
    "Amazon et Leclerc ont signé un accord de partenariat logistique, ont annoncé jeudi les deux "
    "groupes dans un communiqué commun. Les clients de l'enseigne pourront retirer leurs colis "
    "dans des casiers installés sur les parkings de quatre cents hypermarchés. Le distributeur "
    "percevra une commission sur chaque retrait, dont le montant n'a pas été dévoilé. Ce "
    "rapprochement intervient quelques mois après les premiers contacts entre le géant américain "
    "et le groupement d'indépendants, qui avait d'abord jugé l'idée prématurée.",
    "2018-03-15T09:00:00+00:00",
    "agence.example",
    Detection(
        True, [Mention("leclerc", "partnership", False, "ont signé un accord de partenariat")]
    ),
)
REPRINT = replace(
    PARTNERSHIP,
    id="partenariat-reprise",
    title="Distribution : Leclerc s'allie au géant du e-commerce",
    text="Publié le 16/03/2018 à 07h12 | Par la rédaction avec AFP\n\n"
    + PARTNERSHIP.text
    + "\n\nLire aussi : la guerre des drives. Abonnez-vous pour lire la suite.",
    published="2018-03-16T07:12:00+00:00",
    source="regional.example",
)
EARLY = Article(
    "rumeur-septembre",
    "Amazon lorgnerait un distributeur français",
    "Selon plusieurs sources, la firme de Jeff Bezos chercherait un allié dans l'alimentaire en "
    "France et aurait déjà eu un premier échange avec les centres Leclerc au cours de l'été. Aucun "
    "des deux groupes n'a souhaité commenter ces informations, qui circulent depuis plusieurs "
    "semaines dans le milieu de la distribution et chez les fournisseurs de l'enseigne.",
    "2017-09-20T10:00:00+00:00",
    "hebdo.example",
    Detection(True, [Mention("leclerc", "approached", True, "aurait déjà eu un premier échange")]),
)
STORYLINE = [CONTACTS, LECLERC, PARTNERSHIP, REPRINT]


def record(db, a: Article, detection: Detection | None = None):
    """What the poll flow does: the article row and its storyline, in one transaction."""
    with transaction(db):
        db["articles"].insert(
            {"id": a.id, "url": a.url, "title": a.title, "text": a.text, "published": a.published},
            ignore=True,
        )
        return record_story_and_events(
            db,
            article_id=a.id,
            title=a.title,
            text=a.text,
            published=a.published,
            published_is_fetch_date=False,
            url=a.url,
            source=a.source,
            detection=detection or a.detection,
        )


def board_state(db) -> list[tuple]:
    """The board without the ids that depend on which article came first."""
    return [
        (r.retailer, r.status, r.reported, r.since, r.sources, r.sentence)
        for r in current_board(db)
    ]


def dump(db) -> dict[str, list]:
    tables = ("stories", "story_sources", "signatures", "lsh_bands", "mentions", "events")
    return {t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


@pytest.fixture
def db():
    return open_db(":memory:")


def test_the_storyline_in_publication_order(db) -> None:
    outcomes = [record(db, a) for a in STORYLINE]
    events = tl.events(db)
    assert [(e.kind, e.retailer, e.old_status, e.new_status, e.reported) for e in events] == [
        ("new_retailer", "casino", None, "declined", False),
        ("new_retailer", "intermarche", None, "approached", True),
        ("new_retailer", "systeme-u", None, "declined", False),
        ("new_retailer", "carrefour", None, "rumored", True),
        ("new_retailer", "leclerc", None, "approached", False),
        ("status_change", "leclerc", "approached", "partnership", False),
    ]
    assert [e.key for e in events] == [k for o in outcomes for k in o.new_event_keys]
    assert tl.event_seqs(db) == list(range(1, 7))
    assert outcomes[3].story_id == outcomes[2].story_id and not outcomes[3].is_new_story
    assert outcomes[3].sources == 2 and outcomes[3].new_event_keys == []
    sentences = {r.retailer: r.sentence for r in current_board(db)}
    assert sentences["casino"] == "Casino a refusé les avances américaines"
    assert sentences["leclerc"] == "ont signé un accord de partenariat"
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in board_state(db)] == [
        ("carrefour", "rumored", True, LECLERC.published, 1),
        ("casino", "declined", False, CONTACTS.published, 1),
        ("intermarche", "approached", True, CONTACTS.published, 1),
        ("leclerc", "partnership", False, PARTNERSHIP.published, 2),
        ("systeme-u", "declined", False, CONTACTS.published, 1),
    ]
    assert db["articles"].get("partenariat-reprise")["story_id"] == outcomes[2].story_id


def test_any_fetch_order_gives_the_same_board() -> None:
    reference = open_db(":memory:")
    for a in STORYLINE:
        record(reference, a)
    expected = board_state(reference)
    for order in itertools.permutations(STORYLINE):
        db = open_db(":memory:")
        for a in order:
            record(db, a)
        assert board_state(db) == expected, [a.id for a in order]


def test_an_older_article_arriving_late_enters_the_timeline_silently(db) -> None:
    for a in STORYLINE:
        record(db, a)
    before = board_state(db)
    outcome = record(db, EARLY)
    assert outcome.events == [] and outcome.new_event_keys == []
    assert board_state(db) == before
    _, mentions, _ = retailer_timeline(db, "Leclerc")
    assert mentions[0].article_id == EARLY.id


def test_five_outlets_one_story_five_sources_one_event(db) -> None:
    detection = Detection(True, [Mention("leclerc", "approached", False, "Leclerc approché")])
    outcomes = []
    for i, story in enumerate(five_outlets()):
        article = Article(
            f"outlet{i}", story.title, story.text, f"2017-10-0{4 + i}T08:00:00+00:00",
            f"outlet{i}.example", detection,
        )  # fmt: skip
        outcomes.append(record(db, article))
    assert len({o.story_id for o in outcomes}) == 1
    assert [o.is_new_story for o in outcomes] == [True, False, False, False, False]
    assert outcomes[-1].sources == 5
    assert db["stories"].count == 1 and db["story_sources"].count == 5
    assert [e.kind for e in tl.events(db)] == ["new_retailer"]
    assert current_board(db)[0].sources == 5


def test_recording_the_same_article_twice_changes_nothing(db) -> None:
    first = record(db, CONTACTS)
    before = dump(db)
    again = record(db, CONTACTS)
    assert again.already_recorded and again.new_event_keys == [] and again.events == []
    assert again.story_id == first.story_id and again.sources == 1
    assert dump(db) == before


def test_an_edited_article_keeps_its_story_and_source(db) -> None:
    first = record(db, PARTNERSHIP)
    edited = replace(PARTNERSHIP, text=PARTNERSHIP.text + " Mise à jour : le montant reste secret.")
    again = record(db, edited)
    assert not again.already_recorded and again.story_id == first.story_id
    assert db["signatures"].count == 1 and db["story_sources"].count == 1
    assert db["lsh_bands"].count <= 64 and len(tl.events(db)) == 1


def test_an_older_reprint_moves_its_story_earlier(db) -> None:
    later = record(db, REPRINT)
    earlier = record(db, PARTNERSHIP)
    assert earlier.story_id == later.story_id == REPRINT.id
    assert tl.story_first_published(db, later.story_id) == PARTNERSHIP.published
    assert {m.story_published for m in tl.all_mentions(db)} == {PARTNERSHIP.published}


def test_fetch_dates_are_stored_and_flagged(db) -> None:
    with transaction(db):
        db["articles"].insert({"id": EARLY.id, "title": EARLY.title, "text": EARLY.text})
        record_story_and_events(
            db, article_id=EARLY.id, title=EARLY.title, text=EARLY.text,
            published="2017-09-20T12:00:00+02:00", published_is_fetch_date=True, url=EARLY.url,
            source=EARLY.source, detection=EARLY.detection,
        )  # fmt: skip
    (m,) = tl.all_mentions(db)
    assert m.published_is_fetch_date and m.published == "2017-09-20T10:00:00+00:00"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations([*STORYLINE, EARLY]))
def test_property_any_permutation_gives_the_same_final_board(order) -> None:
    reference = open_db(":memory:")
    for a in sorted(order, key=lambda a: a.published):
        record(reference, a)
    db = open_db(":memory:")
    for a in order:
        record(db, a)
    assert board_state(db) == board_state(reference)
    keys = [e.key for e in tl.events(db)]
    assert len(keys) == len(set(keys))


# --- reprocess ----------------------------------------------------------------------------------


def detector(overrides: dict[str, Detection] | None = None):
    """Today's "rules": each article's hand-made detection, some of them replaced."""
    by_title = {a.title: a.detection for a in [*STORYLINE, EARLY]}
    by_title.update(overrides or {})

    def detect(title: str, text: str, lang: str | None) -> Detection:
        return by_title.get(title, Detection(False))

    return detect


def test_reprocess_with_unchanged_rules_changes_nothing(db) -> None:
    for a in [LECLERC, CONTACTS, PARTNERSHIP, REPRINT]:  # not in publication order
        record(db, a)
    before = dump(db)
    assert rebuild_timeline(db, detector(), dry_run=True) == ([], [])
    assert rebuild_timeline(db, detector(), dry_run=False) == ([], [])
    assert dump(db) == before


def test_reprocess_dry_run_shows_the_diff_and_writes_nothing(db) -> None:
    for a in STORYLINE:
        record(db, a)
    before = dump(db)
    acquired = Detection(True, [Mention("leclerc", "acquired", False, "Amazon rachète Leclerc")])
    detect = detector({PARTNERSHIP.title: acquired, REPRINT.title: acquired})
    appeared, disappeared = rebuild_timeline(db, detect, dry_run=True)
    assert [(e.kind, e.old_status, e.new_status) for e in appeared] == [
        ("status_change", "approached", "acquired")
    ]
    assert [(e.kind, e.new_status) for e in disappeared] == [("status_change", "partnership")]
    assert dump(db) == before

    assert rebuild_timeline(db, detect, dry_run=False) == (appeared, disappeared)
    assert [e.new_status for e in tl.events(db, retailer="leclerc")] == ["approached", "acquired"]
    retracted = tl.events(db, retailer="leclerc", include_retracted=True)
    assert len(retracted) == 3
    assert db["events"].get(appeared[0].key)["backfill"] == 1
    assert {r.retailer: r.status for r in current_board(db)}["leclerc"] == "acquired"
    assert rebuild_timeline(db, detect, dry_run=True) == ([], [])


# --- command line -------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from flows import timeline_cli

    path = tmp_path / "veille.db"
    db = open_db(path)
    for a in STORYLINE:
        record(db, a)
    db.conn.close()
    monkeypatch.setattr(timeline_cli, "_default_detect", lambda: (detector(), str.title))
    app = typer.Typer()
    app.command("status")(timeline_cli.status_command)
    app.command("timeline")(timeline_cli.timeline_command)
    app.command("reprocess")(timeline_cli.reprocess_command)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [*args, "--db", str(path)], env={"COLUMNS": "250"})


def test_cli_status_timeline_and_reprocess(cli) -> None:
    import json

    result = cli("status", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["retailer"]: r["status"] for r in rows}["leclerc"] == "partnership"
    table = cli("status")
    assert table.exit_code == 0 and "partenariat" in table.output and "Systeme U" in table.output
    timeline = cli("timeline", "leclerc", "--json")
    assert [m["status"] for m in json.loads(timeline.output)["mentions"]] == [
        "approached",
        "partnership",
        "partnership",
    ]
    assert cli("timeline", "Leclerc").exit_code == 0
    missing = cli("timeline", "lidl")
    assert missing.exit_code == 1 and "Error: timeline: no retailer 'lidl'" in missing.output
    dry = cli("reprocess", "--dry-run")
    assert dry.exit_code == 0 and "0 events would appear, 0 would disappear" in dry.output


def test_board_rows_serialise(db) -> None:
    record(db, CONTACTS)
    assert all(isinstance(asdict(r), dict) for r in current_board(db))


_STATUS = st.sampled_from(["rumored", "approached", "declined", "partnership", "none"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_STATUS, st.booleans(), st.integers(1, 4), st.integers(1, 3)),
        min_size=1,
        max_size=8,
    )
)
def test_the_sql_state_is_the_pure_fold(specs) -> None:
    """storage.timeline.retailer_state must agree with tasks.events.retailer_state."""
    from tasks.events import MentionRecord
    from tasks.events import retailer_state as fold

    db = open_db(":memory:")
    mentions = [
        MentionRecord(
            retailer="leclerc",
            status=status,
            reported=reported,
            sentence="",
            article_id=f"a{i}",
            published=f"2017-10-0{day}",
            story_id=f"s{story}",
            story_published=f"2017-10-0{day}",
        )
        for i, (status, reported, day, story) in enumerate(specs)
    ]
    with transaction(db):
        for m in mentions:
            tl.replace_mentions(db, m.article_id, [m])
    assert tl.retailer_state(db, "leclerc") == fold(mentions)
    assert tl.retailer_state(db, "leclerc", exclude_article="a0") == fold(mentions[1:])
