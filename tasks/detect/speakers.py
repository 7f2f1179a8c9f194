"""Who speaks: "nous" in a company's own words is that company.

Interviews and quotes are where retailers and the actor state their relations themselves ("Nous
avons écouté, puis nous n'avons pas donné suite", says Système U's head of e-commerce; "Nous
travaillons avec Monoprix", says Amazon's). The first person plural there is the speaker's
company, and the questions' "vous" is the interviewee's. This module finds the spans a company
speaks in and returns one reference per first-person word, as if the company were named:

- a speaker is a company, or a person the article ties to one by a role ("Hélène Marchadier,
  directrice du commerce en ligne de Système U", "le PDG de Carrefour, Alexandre Bompard",
  "Tesco's chief executive");
- a quote is spoken by whom its attribution names, after it (« … », explique le président de
  Système U) or before it in its sentence (Pour le patron de Lidl, « … »), or by the speaker of
  the quote before when the attribution is a pronoun ("ajoute-t-il");
- an interview is a run of labelled paragraphs ("LSA : …", "H. M. : …"), or of questions each
  followed by its answer: the labels whose paragraphs ask are the newsroom's, the others are the
  interviewee's, whose company is the one the labels name, or else the one the lead (or the
  headline, "Picard : « … »") introduces;
- a headline "Picard : « … »" is the company's (or its representative's) own words.

Pure text work on the normalised article; no parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .entities import Ent
from .lexicon import fold
from .sentences import Sentence

_COMPANY_KINDS = ("actor", "retailer", "rival")

# A person's role in a company: the words that tie a name to its employer.
_ROLE = re.compile(
    r"(?<![\w-])(?:p-?dg|president(?:e)?|vice-president(?:e)?|directeur|directrice|dg"
    r"|patron(?:ne)?|responsable|porte-parole|co-?fondat(?:eur|rice)|fondat(?:eur|rice)"
    r"|gerant(?:e)?|dirigeant(?:e)?|numero (?:un|deux)|secretaire general(?:e)?|adherent(?:e)?"
    r"|chief executive|chief [a-z]+ officer|ceo|cfo|coo|boss|head|spokes(?:man|woman|person)"
    r"|founder|co-founder|chairman|chairwoman|chair|managing director|director|executive"
    r"|president|owner|proprietaire|associe(?:e)?|a la tete|dirige|dirigeait|runs|ran|heads)"
    r"(?![\w-])"
)
# What may stand between a role and its company: "directrice du commerce en ligne de".
_ROLE_GAP = re.compile(r"[^.;:,!?«»\"()\n]{0,60}?(?:\bde |\bd'|\bdu |\bdes |\bchez |\bof |\bat )$")
_NAME = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_PERSON = re.compile(rf"{_NAME}(?: (?:de |d'|van |von |le |la |du )?{_NAME}){{1,2}}")
# A pronoun attribution: the speaker of the quote before.
_PRONOUN_SAID = re.compile(
    r"(?:-t-|-)(?:il|elle)\b|\b(?:he|she) (?:said|says|added|adds|explained|told)\b"
)
# How far back a pronoun attribution looks for the person it stands for: about a paragraph.
_PRONOUN_REACH = 400
_FIRST_PLURAL = re.compile(r"(?<![\w-])(?:nous|nos|notre|we|our|us)(?![\w-])")
_SECOND = re.compile(r"(?<![\w-])(?:vous|vos|votre|you|your)(?![\w-])")
# An attribution goes on the quote's sentence: « … », a déclaré…; "…," said…
_GOES_ON = re.compile(r" ?(?:,|[a-zà-ÿ])")
_QUOTES = re.compile(r"«([^»]{3,1500})»|“([^”]{3,1500})”|\"([^\"\n]{3,1500})\"")
# "LSA : …", "Hélène Marchadier : …", "H. M. : …", "Q: …" at a paragraph's start.
_LABEL = re.compile(r"([A-ZÀ-Ý][^\n:?!,«»\"]{0,40}?) ?: ")


@dataclass(frozen=True)
class Speech:
    """A span of text spoken for a company."""

    start: int
    end: int
    speaker: Ent
    addressed: bool = False  # the questions' "vous": the span is the company itself


def voices(
    text: str, folded: str, sentences: list[Sentence], ents: list[Ent], title_end: int = 0
) -> tuple[list[Ent], list[Speech]]:
    """The first-person references of each company's own words, and those words' spans."""
    companies = [e for e in ents if e.kind in _COMPANY_KINDS]
    if not companies:
        return [], []
    roles = _roles(folded, companies)
    people = _people(text, sentences, roles) | _family(text, companies)
    speeches = _interview(text, folded, companies, roles, people, title_end)
    covered = [(s.start, s.end) for s in speeches]
    last: Ent | None = None
    for match in _QUOTES.finditer(text):
        start, end = match.start(), match.end()
        speaker = _title_speaker(text, companies, people, start, end, title_end, roles)
        if speaker is None:
            speaker = _attributed(text, folded, sentences, companies, roles, people, start, end)
        if speaker is None:
            speaker = _posted_by(text, folded, sentences, roles, people, end)
        if speaker is None and _PRONOUN_SAID.search(folded, end, end + 40):
            # "raconte-t-il": the speaker of the quote before, or the person named last
            reach = max(0, start - _PRONOUN_REACH)
            named = _who(text, [], roles, people, reach, start)
            if last is not None or named:
                speaker = last or named[-1][1]
            else:  # no one in reach: the profiled person, where the article has one
                speaker = _profiled(text, companies, people, reach, start)
        if speaker is not None:
            last = speaker
            if not any(a <= start < b for a, b in covered):
                speeches.append(Speech(start, end, speaker))
    out = []
    for speech in speeches:
        if speech.addressed:
            out.append(_voice(text, speech.speaker, speech.start, speech.end))
            continue
        for match in _FIRST_PLURAL.finditer(folded, speech.start, speech.end):
            if folded[match.start() : match.end()] == "us" and text[match.start()] == "U":
                continue  # "the US"
            out.append(_voice(text, speech.speaker, match.start(), match.end()))
    return out, [s for s in speeches if not s.addressed]


def _profiled(
    text: str, companies: list[Ent], people: dict[str, Ent], start: int, end: int
) -> Ent | None:
    """The company of the one person the article ties to a company (a profile: "Stéphanie
    Guern, la patronne du drive chez Leclerc"), for a pronoun attribution far from any name,
    unless someone else is named in between."""
    full = {name: company for name, company in people.items() if " " in name and "." not in name}
    if len(full) != 1:
        return None
    for match in _PERSON.finditer(text, start, end):
        if match.group(0) not in people and not any(
            e.start < match.end() and match.start() < e.end for e in companies
        ):
            return None  # "Sur Amazon" is no one
    return next(iter(full.values()))


def speaker_at(speeches: list[Speech], pos: int) -> Ent | None:
    """The company whose own words hold ``pos``, if any."""
    return next((s.speaker for s in speeches if s.start <= pos < s.end), None)


def _voice(text: str, speaker: Ent, start: int, end: int) -> Ent:
    return replace(speaker, start=start, end=end, text=text[start:end], voice=True)


@dataclass(frozen=True)
class _Role:
    start: int  # the role word, or the company before it ("Tesco's chief executive")
    end: int  # the company's end, or the role word's ("Tesco chief executive")
    company: Ent


def _roles(folded: str, companies: list[Ent]) -> list[_Role]:
    """Each role tied to its company: "PDG de Carrefour", "Tesco's chief executive"."""
    out = []
    for match in _ROLE.finditer(folded):
        after = next((e for e in companies if e.start >= match.end()), None)
        if after is not None and after.start - match.end() <= 62:
            gap = folded[match.end() : after.start]
            if _ROLE_GAP.fullmatch(gap) or gap.endswith(("groupe ", "group ", "enseigne ")):
                out.append(_Role(match.start(), after.end, after))
                continue
        before = next((e for e in reversed(companies) if e.end <= match.start()), None)
        if before is not None and folded[before.end : match.start()] in (" ", "'s "):
            out.append(_Role(before.start, match.end(), before))
    return out


# Between a name and its role: "Hélène Marchadier, directrice…", "Stéphanie Guern, 47 ans,
# dirige…"
_BEFORE_ROLE = re.compile(
    r",? (?:\d{2} (?:ans|years old), )?(?:(?:le|la|l'|the|a|an|son|sa)\s?)?(?:\w+ ){0,2}"
)


def _people(text: str, sentences: list[Sentence], roles: list[_Role]) -> dict[str, Ent]:
    """Named people tied to a company, by full name, surname and initials."""
    people: dict[str, Ent] = {}
    for role in roles:
        sentence = next((s for s in sentences if s.start <= role.start < s.end), None)
        if sentence is None:
            continue
        found = None
        for match in _PERSON.finditer(text, sentence.start, sentence.end):
            if match.end() <= role.start and _BEFORE_ROLE.fullmatch(text, match.end(), role.start):
                found = match  # "Hélène Marchadier, directrice … de Système U"
            elif match.start() >= role.end and re.fullmatch(
                r"(?:[^.;:«»\"()\n,]{0,30},)? ?", text[role.end : match.start()]
            ):
                found = match  # "le PDG de Carrefour, Alexandre Bompard"
                break
        if found is None or (found.start() < role.company.end and role.company.start < found.end()):
            continue  # the name is the company's own ("Michel-Édouard Leclerc")
        name = found.group(0)
        words = name.split()
        people[name] = role.company
        people[words[-1]] = role.company
        initials = " ".join(w[0] + "." for w in words)
        people[initials] = people[initials.replace(" ", "")] = role.company
    return people


def _family(text: str, companies: list[Ent]) -> dict[str, Ent]:
    """People who bear a family firm's name ("Thomas Lemoine" of the Épicerie Lemoine): they
    speak for it."""
    out: dict[str, Ent] = {}
    surnames = {e.text.split()[-1]: e for e in companies if e.kind == "retailer" and " " in e.text}
    for match in _PERSON.finditer(text):
        words = match.group(0).split()
        company = surnames.get(words[-1])
        if company is not None and match.group(0) != company.text:
            out[match.group(0)] = company
    return out


def _who(
    text: str, companies: list[Ent], roles: list[_Role], people: dict[str, Ent], a: int, b: int
) -> list[tuple[int, Ent]]:
    """The speakers named in [a, b): roles, known people, companies, with their positions."""
    found = [(r.start, r.company) for r in roles if a <= r.start < b]
    for name, company in people.items():
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text[a:b]):
            found.append((a + match.start(), company))
    found += [(e.start, e) for e in companies if a <= e.start < b and not e.discovered]
    return sorted(found, key=lambda p: p[0])


def _attributed(
    text: str,
    folded: str,
    sentences: list[Sentence],
    companies: list[Ent],
    roles: list[_Role],
    people: dict[str, Ent],
    start: int,
    end: int,
) -> Ent | None:
    """The speaker a quote's attribution names: after the quote, to its sentence's end (« … »,
    a déclaré le président de Système U), or before it, from its sentence's start (Pour le
    patron de Lidl, « … »)."""
    after = next((s for s in sentences if s.start <= end <= s.end), None)
    stop = min(after.end if after is not None else end, end + 160)
    if _GOES_ON.match(text, end, stop):
        # a company itself speaks only right after the quote (« … », indique Carrefour)
        near = [e for e in companies if end <= e.start < min(stop, end + 40)]
        named = _who(text, near, roles, people, end, stop)
        if named:
            return named[0][1]
        own = _OWN_ROLE.match(folded, end, stop)
        if own and _ROLE.match(folded, own.end()):
            # « … », indique son cofondateur: the retailer named last before the quote
            before = [
                e
                for e in companies
                if e.kind == "retailer" and e.end <= start and start - e.end < _PRONOUN_REACH
            ]
            if before:
                return before[-1]
    first = next((s for s in sentences if s.start <= start < s.end), None)
    if first is None:
        return None
    head = folded[first.start : start].rstrip()
    if head.endswith((":", ",")):
        named = _who(text, [], roles, people, first.start, start)
        if named:
            return named[-1][1]
    return None


# A possessive before a role in an attribution: "indique son cofondateur", "its chairman said".
_OWN_ROLE = re.compile(r"[^.;«»\"]{0,30}?\b(?:son|sa|leur|its|their) ")


# "« … » C'est par un message publié sur LinkedIn que le patron de X…": a post quoted alone,
# its author told in the next sentence.
_POSTED = re.compile(
    r"\b(?:message|billet|post|publie|publiee|poste|postee|tweet|tweete|ecrit|posted|wrote"
    r"|tweeted)\b"
)


def _posted_by(
    text: str,
    folded: str,
    sentences: list[Sentence],
    roles: list[_Role],
    people: dict[str, Ent],
    end: int,
) -> Ent | None:
    """The author of a quote that stands as a sentence of its own, from the post the next
    sentence tells of."""
    if not text[max(0, end - 3) : end].rstrip('»”" ').endswith((".", "!", "?")):
        return None
    if not text[end:].lstrip()[:1].isupper():
        return None
    # the splitter may keep the quote and the next sentence as one
    holder = next((s for s in sentences if s.start <= end < s.end), None)
    if holder is None or holder.end - end < 20:
        holder = next((s for s in sentences if s.start >= end), None)
        if holder is None or holder.start - end > 3:
            return None
    start, stop = max(end, holder.start), holder.end
    if not _POSTED.search(folded, start, stop):
        return None
    named = _who(text, [], roles, people, start, stop)
    return named[0][1] if named else None


def _title_speaker(
    text: str,
    companies: list[Ent],
    people: dict[str, Ent],
    start: int,
    end: int,
    title_end: int,
    roles: list[_Role],
) -> Ent | None:
    """A headline quote is the words of the company (or person) before it ("Picard : « … »")
    or of the one named after it ("« … » : le patron des Comptoirs Rivaud se confie")."""
    if start >= title_end:
        return None
    head = text[:start].rstrip()
    if head.endswith(":"):
        head = head[:-1].strip()
        company = next((e for e in companies if e.start == 0 and e.end == len(head)), None)
        return company or people.get(head)
    if not head and text[end:title_end].lstrip().startswith(":"):
        named = _who(text, [], roles, people, end, title_end)
        return named[0][1] if named else None
    return None


def _interview(
    text: str,
    folded: str,
    companies: list[Ent],
    roles: list[_Role],
    people: dict[str, Ent],
    title_end: int,
) -> list[Speech]:
    """The answers of a question-and-answer interview, spoken for the interviewee's company
    (and the questions' "vous" for it too)."""
    paragraphs = _labelled(text, title_end) or _asked(text, folded, title_end)
    if len(paragraphs) < 3:
        return []
    asked: dict[str, list[bool]] = {}
    for label, _, start, end in paragraphs:
        asked.setdefault(label, []).append(text[start:end].rstrip(' »"').endswith("?"))
    newsroom = {
        label
        for label, flags in asked.items()
        if sum(flags) * 2 > len(flags) or _ASKERS.fullmatch(_fold_label(label))
    }
    answers = [p for p in paragraphs if p[0] not in newsroom]
    if not newsroom or not answers:
        return []
    speaker = next((people[p[0]] for p in answers if p[0] in people), None)
    if speaker is None:
        speaker = _lead_company(text, companies, roles, people, title_end, paragraphs[0][2])
    if speaker is None and all(_ROLE.match(_fold_label(p[0])) for p in answers):
        # "PDG : …", "CFO: …" under "Journée investisseurs du groupe Casino": the roles are
        # those of the one company the headline and the lead name
        intro = {e.id: e for e in companies if e.end <= paragraphs[0][2]}
        speaker = next(iter(intro.values())) if len(intro) == 1 else None
    if speaker is None:
        return []
    out = []
    for label, body, _, end in paragraphs:
        if label in newsroom:
            for match in _SECOND.finditer(folded, body, end):
                out.append(Speech(match.start(), match.end(), speaker, addressed=True))
        else:
            out.append(Speech(body, end, speaker))
    if text[:title_end].lstrip().startswith(("«", "“", '"')):
        out.append(Speech(0, title_end, speaker))  # the headline quotes the interviewee
    return out


def _blocks(text: str, title_end: int) -> list[tuple[int, int]]:
    """The paragraphs (lines) after the headline, as spans."""
    out = []
    pos = 0
    for block in text.split("\n"):
        start, end = pos, pos + len(block)
        pos = end + 1
        if start >= title_end and block.strip():
            out.append((start, end))
    return out


_ANNOUNCED = re.compile(r"\b(?:entretien|interview|propos recueillis|questions? a|q&a)\b")


def _asked(text: str, folded: str, title_end: int) -> list[tuple[str, int, int, int]]:
    """An interview without labels: question paragraphs, each followed by its answer (three
    questions at least, or two in an article that says it is an interview)."""
    blocks = _blocks(text, title_end)
    question = [text[a:b].rstrip(' »"').endswith("?") for a, b in blocks]
    first = next((i for i, q in enumerate(question) if q), None)
    if first is None or first == len(blocks) - 1:
        return []
    pairs = sum(1 for i in range(first, len(blocks) - 1) if question[i] and not question[i + 1])
    lead = folded[: blocks[first][0]]
    if pairs < 3 and not (pairs >= 2 and _ANNOUNCED.search(lead)):
        return []
    rest = zip(blocks[first:], question[first:], strict=True)
    return [("Q" if q else "A", a, a, b) for (a, b), q in rest]


def _labelled(text: str, title_end: int) -> list[tuple[str, int, int, int]]:
    """(label, body start, paragraph start, paragraph end) of each labelled paragraph after the
    headline; an unlabelled paragraph after a labelled one goes on with it."""
    out: list[tuple[str, int, int, int]] = []
    for start, end in _blocks(text, title_end):
        match = _LABEL.match(text, start, end)
        if match and len(match.group(1).split()) <= 4:
            out.append((match.group(1).strip(), match.end(), start, end))
        elif out:
            out.append((out[-1][0], start, start, end))
    return out


# Labels of those who ask in a transcript: "Analyste (banque d'affaires) :", "Operator:".
_ASKERS = re.compile(
    r"(?:analyste?s?|operat(?:or|eur|rice)|journaliste?|question|q|moderat(?:or|eur|rice))"
)


def _fold_label(label: str) -> str:
    """A label as the role pattern reads it: lowercase, unaccented, no aside in brackets."""
    return fold(re.sub(r"\s*\(.*?\)", "", label)).strip()


def _lead_company(
    text: str,
    companies: list[Ent],
    roles: list[_Role],
    people: dict[str, Ent],
    title_end: int,
    first_label: int,
) -> Ent | None:
    """The interviewee's company as the headline and lead introduce it: the one company whose
    people or roles they name, or the headline's "Picard : « … »", or, where they name no
    one's role, the one retailer they name."""
    intro = {e.id: e for _, e in _who(text, [], roles, people, 0, first_label)}
    if len(intro) == 1:
        return next(iter(intro.values()))
    head = text[:title_end]
    colon = head.find(":")
    if colon > 0 and not any(q in head[:colon] for q in '«“"'):  # "Picard : « … »"
        named = [e for e in companies if e.end <= colon and not e.discovered]
        if len({e.id for e in named}) == 1:
            return named[0]
    if intro:
        return None  # the lead ties its people to several companies: none is sure
    # "Lemaire Primeurs tourne la page Amazon" over a lead that names no one's role: the one
    # retailer the headline and the lead name is the one the questions are put to
    lead = {e.id: e for e in companies if e.kind == "retailer" and e.end <= first_label}
    return next(iter(lead.values())) if len(lead) == 1 else None
