"""Figures cite their sources: which sentences count as stating a figure, and what counts as
citing one."""

from __future__ import annotations

from gapmap.check.citations import sentences, uncited_figures

RES = {"nhgri-costs", "wellcome-report"}


def _figures(text: str) -> list[str]:
    return [figure for _, figure in uncited_figures(text, RES)]


def test_a_figure_with_a_citation_in_its_sentence_passes():
    assert _figures("A genome cost $1,245 in 2015 [nhgri-costs].") == []


def test_the_sentence_after_a_cited_one_may_rest_on_it():
    assert _figures("A genome cost $1,245 in 2015 [nhgri-costs]. That is 99.9% less than in 2001.") == []


def test_two_sentences_after_a_citation_need_their_own():
    text = "A genome cost $1,245 in 2015 [nhgri-costs]. It fell. It is now $500 a genome."
    assert _figures(text) == ["$500"]


def test_backticked_resource_ids_count_but_other_record_ids_do_not():
    assert _figures("The report put it at $10 billion (`wellcome-report`).") == []
    assert _figures("The pipeline `some-capability` would cost $10 billion.") == ["$10 billion"]


def test_years_and_small_counts_are_not_figures():
    assert _figures("Started in 2017 with 3 teams over 5 years.") == []


def test_money_percentages_multiples_magnitudes_and_separators_are_figures():
    for text in ("It costs £40.", "A 20% fall.", "A 100-fold drop.", "About 70 million neurons.",
                 "Some 139,000 neurons.", "A 1.6 PB volume."):
        assert _figures(text), text


def test_decimal_points_inside_figures_do_not_end_a_sentence():
    assert [s for _, s in sentences("It cost $1.5 billion (e.g. in 2020). Then less.")] == [
        "It cost $1.5 billion (e.g. in 2020).", "Then less."]
