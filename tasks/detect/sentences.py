"""Paragraphs and sentences of normalised article text, with their character offsets.

Extracted news text mixes one-line paragraphs, blank-line paragraphs and hard-wrapped wire copy
("ont été\\napprochés par Amazon"). A line is joined to the next when it does not end a sentence
and the next one continues it (lowercase start, or a long wrapped line), so the reader sees
whole sentences and knows which sentences share a paragraph (the scope for resolving "le géant
américain" or "il" to the actor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"(?:[.!?…:]|[.!?…][\"»”)'])\s*$")
_BOUNDARY = re.compile(
    r"[.!?…]+[\"»”)']*\s+(?=[\"«“(\-–—]?\s*[A-ZÀ-ÖØ-Þ0-9])|(?<=[a-zà-ÿ]{2}[.!?])(?=[A-ZÀ-ÖØ-Þ][a-zà-ÿ])"
)
_INITIAL = re.compile(r"(?:^|\s)(\S+)\s+[A-Z]\.[\"»”)']*\s+$")
_FUNCTION = {"par", "chez", "selon", "pour", "avec", "et", "de", "by", "for", "with", "and", "from"}
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\bM|\bMM|\bMme|\bMlle|\bDr|\bSt|\bSte|\bMr|\bMrs|\bMs|\bSir|\bav|\bp|\bvol|\bn°"
    r"|\bInc|\bCo|\bCos|\bCorp|\bLtd|\bPlc|\bBros|\bJ|\betc|\bcf|\bex|\bvs|\bNo)\.[\"»”)']*\s+$"
)


# Lines a page puts around an article's text: links to other stories, photo captions and
# credits. They are paragraphs of their own, never joined to the text around them.
_ASIDE = re.compile(
    r"\s*(?:(?:à |a )?lire aussi|voir aussi|sur le même sujet|read more|related|see also|photo\b"
    r"|crédit|credit|©|\(photo)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span in the normalised text, its index and its paragraph's index."""

    start: int
    end: int
    index: int
    paragraph: int


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs after joining wrapped lines."""
    spans: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    current: tuple[int, int] | None = None
    prev_end = 0
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            continue
        if current is not None:
            gap = text[prev_end:start]
            previous = text[current[0] : current[1]]
            last_line = previous.rsplit("\n", 1)[-1]
            joins = (
                gap.count("\n") <= 1
                and not _END.search(previous)
                and not _ASIDE.match(last_line)
                and not _ASIDE.match(line)
                and (
                    line.lstrip()[:1].islower()
                    or line.lstrip()[:1] in ",;)"
                    or len(last_line) >= 50
                )
            )
            if joins:
                current = (current[0], end)
                prev_end = end
                continue
            spans.append(current)
        current = (start, end)
        prev_end = end
    if current is not None:
        spans.append(current)
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each tagged with its paragraph."""
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(_paragraph_spans(text)):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            if _ABBREV.search(text, max(p_start, match.start() - 6), match.end()):
                initial = _INITIAL.search(text, max(p_start, match.start() - 40), match.end())
                after_name = initial and initial.group(1)[:1].isupper()
                if not after_name or initial.group(1).lower() in _FUNCTION:
                    continue
            cut = match.end()
            _add(out, text, start, cut, p_index)
            start = cut
        _add(out, text, start, p_end, p_index)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, len(out), paragraph))


def is_aside(text: str, sentence: Sentence) -> bool:
    """The sentence is a link to another story or a caption: it states nothing of this one."""
    return _ASIDE.match(text, sentence.start) is not None


def sentence_text(text: str, sentence: Sentence) -> str:
    """The sentence as one line (wrapped lines joined by a space)."""
    return " ".join(text[sentence.start : sentence.end].split())
