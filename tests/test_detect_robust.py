"""The detector never raises, whatever the text; the public API keeps its shape."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.detect import Detection, Mention, detect_article, prefilter

PIECES = st.sampled_from(
    [
        "Amazon",
        "a racheté",
        "Carrefour",
        "n'a pas",
        "été approché",
        "selon",
        "aurait",
        "le géant américain",
        "Il",
        "l'enseigne",
        "Système U",
        ".",
        ",",
        "\n\n",
        "\u00a0",
        "’",
        "supermarchés",
        "Whole Foods",
        "denied",
        "talks with",
        "Tesco",
        "ﬁ",
        "œ",
        "İ",
        "U.",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from([None, "fr", "en", "de", ""]))
def test_never_raises_on_any_text(text: str, lang: str | None) -> None:
    detection = detect_article(None, text, lang)
    assert isinstance(detection, Detection)
    prefilter(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map(" ".join), st.sampled_from(["fr", "en", None]))
def test_never_raises_on_storyline_like_text(text: str, lang: str | None) -> None:
    detection = detect_article("Amazon", text, lang)
    for mention in detection.mentions:
        assert mention.status != "none"
        assert mention.sentence


def test_public_shapes() -> None:
    fields = [f.name for f in dataclasses.fields(Mention)]
    assert fields == ["retailer", "status", "reported", "sentence", "discovered", "cue", "rule"]
    assert [f.name for f in dataclasses.fields(Detection)] == ["relevant", "mentions"]
    assert detect_article(None, "").to_json("i") == {"id": "i", "relevant": False, "mentions": []}
