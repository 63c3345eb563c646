"""Imported text: the summary derived from a description is its first sentence as plain text,
and whitespace noise is removed and counted."""

from __future__ import annotations

import pytest

from gapmap.interop.normalise import Tally, first_sentence, title, url


@pytest.mark.parametrize("description, summary", [
    ("One thing. Another thing.", "One thing."),
    ("Uses e.g. expansion microscopy. Then more.", "Uses e.g. expansion microscopy."),
    ("Work by J. Smith in the U.S. is cited. More.", "Work by J. Smith in the U.S. is cited."),
    ("Needs precision (<1 micron) flying. [This is an aside] later.", "Needs precision (<1 micron) flying."),
    ("Models [may](https://x.org/a_(b).pdf) ask too much. Next.", "Models may ask too much."),
    ("First paragraph\nwraps here\n\nSecond paragraph.", "First paragraph wraps here"),
    ("An escaped \\[not-a-citation\\] stays. Next.", "An escaped \\[not-a-citation\\] stays."),
])
def test_summary_is_the_first_sentence_in_plain_text(description, summary):
    assert first_sentence(description) == summary


def test_each_normalisation_is_counted_once_per_change():
    tally = Tally()
    assert title(tally, "gap", " Two  words\n") == "Two words"
    assert url(tally, "resource", " https://x.org/a ,") == "https://x.org/a"
    assert title(tally, "gap", "Clean") == "Clean"
    assert dict(tally) == {("gap", "title-edge-whitespace"): 1, ("gap", "title-inner-whitespace"): 1,
                           ("resource", "url-edge-whitespace"): 1, ("resource", "url-trailing-separator"): 1}
