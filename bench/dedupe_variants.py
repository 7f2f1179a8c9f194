"""Synthetic French news stories about Amazon and grocery retail, and their reprint variants.

Used to tune and measure story dedupe (``bench/bench_dedupe.py``, ``tests/test_dedupe.py``).
Everything here is generated from the phrase banks below, written for this purpose: no real
article text. Stories are deliberately on the same few retailers and built from the same banks,
so two distinct stories share vocabulary and stock phrases, which is the hard case for precision.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

RETAILERS = ["Leclerc", "Carrefour", "Casino", "Monoprix", "Intermarché", "Système U", "Auchan"]
AMAZON = [
    "Amazon",
    "le géant américain",
    "la firme de Seattle",
    "le groupe de Jeff Bezos",
    "le champion du commerce en ligne",
    "l'américain",
]
SOURCES = [
    "selon nos informations",
    "d'après plusieurs sources",
    "selon un proche du dossier",
    "affirme un cadre du secteur",
    "selon la presse économique",
    "indique un analyste",
]
VERBS = [
    "aurait approché",
    "a pris contact avec",
    "a sondé",
    "discute avec",
    "courtise",
    "a rencontré les dirigeants de",
    "négocie avec",
    "s'intéresse de près à",
    "aurait proposé un accord à",
    "a démarché",
]
OBJECTS = [
    "un réseau de points relais",
    "une offre d'abonnement commune",
    "des entrepôts partagés",
    "une coentreprise",
    "la vente de ses supermarchés",
    "un rachat d'actifs",
    "un partenariat logistique",
    "des casiers de retrait",
    "un accord d'approvisionnement",
    "une prise de participation",
    "un rachat pur et simple",
    "la livraison à domicile",
    "un service de courses en ligne",
    "une alliance sur les achats",
    "des magasins sans caisse",
    "une plateforme de produits frais",
]
REACTIONS = [
    "ne s'est pas encore exprimé",
    "prend son temps",
    "garde le silence",
    "attend des garanties",
    "pose ses conditions",
    "consulte ses adhérents",
    "n'a pas donné suite",
    "a décliné l'offre",
    "dément toute discussion",
    "refuse de commenter",
    "se dit ouvert à la discussion",
    "n'a pas l'intention de vendre",
    "étudie la proposition",
    "a confirmé des échanges préliminaires",
]
PEOPLE = [
    "Thomas Petit",
    "Camille Robert",
    "Antoine Richard",
    "Léa Durand",
    "Karim Benali",
    "Emma Leroy",
    "Nicolas Simon",
    "Chloé Michel",
    "Yann Le Gall",
    "Sarah Cohen",
    "Claire Martin",
    "Jean Dupuis",
    "Sophie Bernard",
    "Luc Moreau",
    "Nadia Haddad",
    "Paul Lefèvre",
    "Inès Garnier",
    "Marc Rousseau",
    "Julie Fontaine",
    "Hugo Chevalier",
]
ROLES = [
    "analyste chez Natixis",
    "directeur général",
    "porte-parole du groupe",
    "consultant",
    "économiste",
    "président du directoire",
    "délégué syndical",
    "responsable des achats",
]
CITIES = [
    "Rennes",
    "Nice",
    "Grenoble",
    "Dijon",
    "Rouen",
    "Metz",
    "Tours",
    "Angers",
    "Paris",
    "Lyon",
    "Lille",
    "Bordeaux",
    "Nantes",
    "Marseille",
    "Toulouse",
    "Strasbourg",
]
TOPICS = [
    "les prix de gros",
    "les marques de distributeur",
    "la logistique urbaine",
    "les entrepôts automatisés",
    "les magasins de proximité",
    "le commerce rural",
    "la négociation annuelle",
    "le pouvoir d'achat",
    "l'inflation alimentaire",
    "les marges",
    "le e-commerce alimentaire",
    "la guerre des prix",
    "le drive",
    "la logistique du dernier kilomètre",
    "les produits bio",
    "la fidélité des clients",
    "les centrales d'achat",
    "les hypermarchés",
    "la livraison en une heure",
]
ADJS = [
    "audacieux",
    "tardif",
    "coûteux",
    "crédible",
    "improbable",
    "séduisant",
    "fragile",
    "ambitieux",
    "inédit",
    "risqué",
    "stratégique",
    "discret",
    "décisif",
    "prudent",
    "offensif",
    "incertain",
]
FILLER = [
    "cependant",
    "par ailleurs",
    "de son côté",
    "en outre",
    "pour l'heure",
    "dans ce contexte",
    "toutefois",
    "à ce stade",
    "depuis l'été",
    "en coulisses",
]

MONTHS = ["janvier", "mars", "juin", "septembre", "octobre", "décembre"]
SENTENCES = [
    "{Amazon} {verb} {x} pour {obj}, {src}.",
    "{X} {reaction}, {fill}.",
    "« Nous regardons {topic} avec attention », explique {person}, {role}.",
    "Le projet, jugé {adj} par {person}, concernerait d'abord {city} et {city2}.",
    "{Fill}, {x} mise sur {topic} et {topic2}.",
    "Les marchés ont salué un rapprochement {adj}, le titre gagnant {n9},{n0} % à la clôture.",
    "{person}, {role}, estime que {obj} serait {adj} pour {x}.",
    "En {month}, {amazon} avait déjà testé {obj} à {city}.",
    "Le chiffre d'affaires de {x} atteint {n90} milliards d'euros, {src}.",
    "{Fill}, les syndicats redoutent {obj} et ses effets sur {topic}.",
    "Un accord {adj} pourrait être annoncé d'ici {n12} mois, {src}.",
    "Interrogé, {person} n'a pas souhaité s'exprimer sur {topic}.",
    "À {city}, {n40} magasins de {x} servent déjà de test pour {obj}.",
    "{person} rappelle que {topic} pèsent sur {x} depuis {n9} ans.",
    "Pour {person}, {role}, {amazon} cherche avant tout {obj}.",
    "{x} compte {n900} points de vente et {n200} 000 salariés en France.",
    "La direction de {x} convoquera un comité {adj} à {city} le {n28} du mois.",
    "Quant à {topic}, le dossier reste {adj}, {src}.",
    "{Amazon} emploie {n25} 000 personnes dans l'Hexagone et vise {topic}.",
    "Les concurrents de {x}, {fill}, accélèrent sur {topic}.",
]
"""Sentence templates; each slot is drawn afresh (``_Slots``), ``{X}``/``{Amazon}`` capitalised."""


_BANKS: dict[str, list[str]] = {
    "amazon": AMAZON,
    "verb": VERBS,
    "obj": OBJECTS,
    "src": SOURCES,
    "reaction": REACTIONS,
    "fill": FILLER,
    "topic": TOPICS,
    "topic2": TOPICS,
    "person": PEOPLE,
    "role": ROLES,
    "city": CITIES,
    "city2": CITIES,
    "adj": ADJS,
    "month": MONTHS,
}


class _Slots(dict):
    """Draws a value for each template slot the first time it is read."""

    def __init__(self, rng: random.Random, retailer: str) -> None:
        super().__init__(x=retailer, X=retailer)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key.startswith("n"):
            low = 0 if key == "n0" else 1
            value = str(self.rng.randint(low, int(key[1:]) if key != "n0" else 9))
        else:
            value = self.rng.choice(_BANKS[key.lower()])
            if key[0].isupper():
                value = value[0].upper() + value[1:]
        self[key] = value
        return value


def sentence(rng: random.Random, retailer: str) -> str:
    """One sentence about ``retailer`` from a random template."""
    return rng.choice(SENTENCES).format_map(_Slots(rng, retailer))


BOILERPLATE_HEAD = [
    "Publié le {d} à {h}h{m} — Mis à jour le {d} à {h2}h{m2}",
    "Par la rédaction avec AFP | Temps de lecture : {n} min",
    "Partager sur Facebook Partager sur X Envoyer par e-mail Copier le lien",
]
BOILERPLATE_TAIL = [
    "Lire aussi : {t} — tout comprendre en cinq questions",
    "Cet article est réservé aux abonnés. Abonnez-vous pour lire la suite à partir de 1 euro.",
    "Recevez chaque matin notre newsletter économie : inscrivez-vous gratuitement.",
    "© Tous droits réservés. Toute reproduction interdite sans autorisation.",
    "Vous avez aimé cet article ? Retrouvez tous nos dossiers sur la grande distribution.",
]
SYNONYMS = [
    "désormais",
    "également",
    "notamment",
    "clairement",
    "récemment",
    "surtout",
    "ainsi",
    "pourtant",
    "vraiment",
    "souvent",
    "enseigne",
    "groupe",
    "distributeur",
    "marché",
]


@dataclass(frozen=True)
class Story:
    """A generated article: its headline and paragraphs (a paragraph is a list of sentences)."""

    ident: str
    title: str
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        """The article text, paragraphs separated by blank lines."""
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


def make_story(ident: str, rng: random.Random, retailers: list[str] | None = None) -> Story:
    """A story of 5–9 paragraphs of 2–4 sentences about one or two retailers."""
    cast = retailers or rng.sample(RETAILERS, 2)
    paragraphs = []
    for _ in range(rng.randint(5, 9)):
        paragraphs.append(tuple(sentence(rng, rng.choice(cast)) for _ in range(rng.randint(2, 4))))
    title = f"{rng.choice(AMAZON).capitalize()} {rng.choice(VERBS)} {cast[0]}"
    return Story(ident, title, tuple(paragraphs))


def _words_changed(story: Story, rng: random.Random, share: float) -> Story:
    def edit(sentence: str) -> str:
        words = sentence.split()
        for i in range(len(words)):
            if rng.random() < share:
                words[i] = rng.choice(SYNONYMS)
        return " ".join(words)

    return replace(story, paragraphs=tuple(tuple(edit(s) for s in p) for p in story.paragraphs))


def _boilerplate(story: Story, rng: random.Random) -> Story:
    def fill(line: str) -> str:
        return line.format(
            d=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2017",
            h=rng.randint(6, 22),
            m=rng.randint(10, 59),
            h2=rng.randint(6, 22),
            m2=rng.randint(10, 59),
            n=rng.randint(2, 9),
            t=rng.choice(TOPICS),
        )

    head = tuple(fill(x) for x in BOILERPLATE_HEAD)
    tail = tuple(fill(x) for x in BOILERPLATE_TAIL)
    return replace(story, paragraphs=(head, *story.paragraphs, tail))


def _truncated(story: Story, rng: random.Random, keep: float) -> Story:
    n = max(1, round(len(story.paragraphs) * keep))
    return replace(story, paragraphs=story.paragraphs[:n])


def _reordered(story: Story, rng: random.Random) -> Story:
    paragraphs = list(story.paragraphs)
    rng.shuffle(paragraphs)
    return replace(story, paragraphs=tuple(paragraphs))


def _headline(story: Story, rng: random.Random) -> Story:
    lead = (f"{rng.choice(FILLER).capitalize()}, {rng.choice(AMAZON)} bouscule la distribution.",)
    first = lead + story.paragraphs[0][1:]
    return replace(
        story,
        title=f"Distribution : {story.title.lower()} ({rng.choice(CITIES)})",
        paragraphs=(first, *story.paragraphs[1:]),
    )


VARIANTS: dict[str, Callable[[Story, random.Random], Story]] = {
    "headline": _headline,
    "reordered": _reordered,
    "boilerplate": _boilerplate,
    "truncated": lambda s, r: _truncated(s, r, 0.5),
    "words10": lambda s, r: _words_changed(s, r, 0.10),
    "combo": lambda s, r: _words_changed(
        _truncated(_boilerplate(_reordered(_headline(s, r), r), r), r, 0.8), r, 0.05
    ),
}
"""Each reprint transform: the outlet rewrites the headline and lead, moves paragraphs, wraps the
text in its boilerplate, cuts it at the paywall (half kept), edits 10 % of the words, or a mix."""


def variant(story: Story, kind: str, rng: random.Random, outlet: int = 0) -> Story:
    """One reprint of ``story`` by outlet number ``outlet``."""
    return replace(VARIANTS[kind](story, rng), ident=f"{story.ident}~{kind}~{outlet}")


def corpus(
    n_stories: int, seed: int = 7, same_cast: bool = True
) -> tuple[list[Story], list[Story], list[Story]]:
    """Base stories, their reprints (one per variant kind), and distinct stories on the same cast.

    The distinct stories reuse each base story's retailers, so they must *not* merge with it.
    """
    rng = random.Random(seed)
    bases, reprints, distinct = [], [], []
    for i in range(n_stories):
        cast = rng.sample(RETAILERS, 2)
        base = make_story(f"s{i}", rng, cast)
        bases.append(base)
        for outlet, kind in enumerate(VARIANTS):
            reprints.append(variant(base, kind, rng, outlet))
        distinct.append(make_story(f"d{i}", rng, cast if same_cast else None))
    return bases, reprints, distinct


def five_outlets(seed: int = 3) -> list[Story]:
    """One story as five outlets print it (the original plus four variants), for the tests."""
    rng = random.Random(seed)
    base = make_story("wire", rng, ["Leclerc", "Casino"])
    kinds = ["headline", "boilerplate", "reordered", "combo"]
    return [base, *(variant(base, kind, rng, i + 1) for i, kind in enumerate(kinds))]
