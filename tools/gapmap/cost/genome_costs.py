"""Reference dataset: NHGRI cost per human-sized genome, the classic case of a broken trend.

Source: Wetterstrand KA, "DNA Sequencing Costs: Data from the NHGRI Genome Sequencing Program
(GSP)", https://www.genome.gov/sequencingcostsdata (release "Sequencing Costs 2022"). US dollars
per 3,000 Mb genome (6x Sanger coverage, 30x Illumina). The September 2001, October/January
2007-08, October 2008, 2011, 2015, 2017, 2020 and 2022 figures are those in the project's
REFERENCES.md; the other October figures are those of the repository record
`short-read-genome-sequencing`, cited to the same source. Regimes: Sanger until October 2007,
massively parallel sequencing from January 2008.
"""

from __future__ import annotations

SOURCE = "https://www.genome.gov/sequencingcostsdata"
BREAK_YEAR = 2008  # first next-generation point, January 2008

# (year, month, USD per genome)
GENOME_COSTS: tuple[tuple[int, int, float], ...] = (
    (2001, 9, 95_263_072),
    (2003, 10, 40_157_554),
    (2005, 10, 13_801_124),
    (2007, 10, 7_147_571),
    (2008, 1, 3_063_820),
    (2008, 10, 342_502),
    (2009, 10, 70_333),
    (2010, 10, 29_092),
    (2011, 7, 10_497),
    (2011, 10, 7_743),
    (2012, 10, 6_618),
    (2013, 10, 5_096),
    (2014, 10, 5_731),
    (2015, 10, 1_245),
    (2017, 11, 1_844),
    (2020, 11, 512),
    (2022, 5, 524.63),
)


def yearly() -> list[tuple[int, float]]:
    """One (year, cost) per year: the latest release of the year, as the repository record does."""
    latest: dict[int, tuple[int, float]] = {}
    for year, month, value in GENOME_COSTS:
        if year not in latest or month > latest[year][0]:
            latest[year] = (month, value)
    return [(year, latest[year][1]) for year in sorted(latest)]
