"""The four record kinds — field, gap, capability, resource — and their nested blocks.

Links are stored once (a gap lists its capabilities; a capability lists what it requires);
every back-link is derived later by the graph stage.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field as F, PrivateAttr, RootModel, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from gapmap.core.ids import ID_RE, MAX_ID
from gapmap.model.distributions import Distribution, bounds

ID_PATTERN = ID_RE.pattern  # the one id rule (core/ids.py); schemas show it
YEAR_MIN, YEAR_MAX = 1900, 2200

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID)]
ExternalKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$", max_length=40)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(min_length=1)]
Year = Annotated[int, F(ge=YEAR_MIN, le=YEAR_MAX)]
Positive = Annotated[float, F(gt=0, allow_inf_nan=False)]
Score = Annotated[int, F(ge=1, le=5)]
Confidence = Literal["low", "medium", "high"]

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _http_url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError(
            "bad-url", "URL must start with http:// or https:// and have a host, without spaces"
        )
    return value


Url = Annotated[str, AfterValidator(_http_url)]

RESOURCE_KINDS = (
    "research-and-reviews", "initiative", "whitepapers-and-essays", "company", "technology-seed",
    "funding-program", "research-org", "roadmap", "individual", "fro", "fro-concept",
)
ResourceKind = Literal[RESOURCE_KINDS]  # type: ignore[valid-type]
CapabilityKind = Literal["technology", "dataset", "platform", "infrastructure", "method", "organization"]
Maturity = Literal["concept", "research", "prototype", "demonstrated", "scaling", "deployed"]
Role = Literal["necessary", "partial", "enabling"]
# What a gap cannot close without. A link with no role (imported links are like that) is read
# as necessary: the conservative reading, used alike by checks, graph analytics and models.
NEEDED_ROLES = (None, "necessary")
# Maturities at which a capability exists already: ready now for schedules, nothing to build.
EXISTING = ("deployed", "scaling")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Record(_Strict):
    """Keys every record shares."""

    id: Id = F(description="The record's id: lowercase words joined by hyphens, equal to the file name "
                           "without .yaml; other records link to it by this id.",
               examples=["whole-brain-connectomics"])
    title: Title = F(description="A short human-readable name, shown as the page heading.",
                     examples=["Whole-brain connectomics"])
    summary: Optional[Text] = F(None, description="One or two sentences: what this is, for lists and link previews.",
                                examples=["A synapse-level wiring diagram of a whole mammalian brain."])
    description: Optional[Text] = F(None, description="The full text in Markdown (no raw HTML); a sentence "
                                    "stating a figure cites a resource inline as [resource-id].",
                                    examples=["Mapping every synapse of a mouse brain needs ... [abbott-2020-mind-of-a-mouse]."])
    tags: list[Id] = F([], description="Tag ids from the controlled vocabulary in tags.yaml.",
                       examples=[["connectomics", "open-data"]])
    resources: list[Id] = F([], description="Ids of resource records (papers, datasets, organisations) this record draws on.",
                            examples=[["abbott-2020-mind-of-a-mouse"]])
    external_ids: dict[ExternalKey, Annotated[str, F(description="The record's id on that system.",
                                                     examples=["1c1cb37e-2a00-8013-a845-c84eb5cde804"])]] = F(
        {}, description="This record's id on other systems, by system key "
                        "(gapmap_org: the UUID of the gap-map.org record it was imported from).",
        examples=[{"gapmap_org": "1c1cb37e-2a00-8013-a845-c84eb5cde804"}])


class Field(Record):
    """A scientific field: the top level of the map."""

    summary: Text = F(description="One or two sentences: what the field studies.",
                      examples=["The study of nervous systems, from molecules to behaviour."])
    description: Text = F(description="The field in Markdown: its scope, and what its gaps have in common.",
                          examples=["Neuroscience asks how nervous systems work ..."])


class CapabilityLink(_Strict):
    """A typed gap→capability link; no role means unknown, which the models read as necessary."""

    capability: Id = F(description="The id of a capability record the gap needs.", examples=["expansion-microscopy"])
    role: Optional[Role] = F(None, description="How much the gap depends on it: necessary (cannot close without it), "
                             "partial (closes part of it) or enabling (speeds it up). No role is read as necessary.",
                             examples=["necessary"])
    note: Optional[Text] = F(None, description="Why the gap needs this capability, in a sentence.",
                             examples=["Light microscopy at synapse resolution needs physical expansion of the tissue."])


class Assessment(_Strict):
    """Scores behind the ranked gap list, with how sure we are and why."""

    importance: Score = F(description="How much closing the gap would matter, 1 (little) to 5 (a great deal).", examples=[4])
    tractability: Score = F(description="How likely focused work is to close it, 1 (hardly) to 5 (very).", examples=[3])
    neglectedness: Score = F(description="How little work it gets for its importance, 1 (crowded) to 5 (ignored).", examples=[4])
    confidence: Confidence = F(description="How sure the scores are: low, medium or high.", examples=["medium"])
    rationale: Text = F(description="Why these scores, with citations as [resource-id].",
                        examples=["Several funded programmes exist [brain-initiative], but none aims at a whole brain."])


class Gap(Record):
    """Something science cannot yet know or build, and what would close it."""

    summary: Text = F(description="One or two sentences: what science cannot yet know or build.",
                      examples=["No one can yet map every synapse of a mammalian brain."])
    description: Text = F(description="The gap in Markdown: why it matters, what has been tried, what is missing; "
                          "figures cite resources inline as [resource-id].",
                          examples=["A mouse brain holds about 10^11 synapses ... [abbott-2020-mind-of-a-mouse]."])
    field: Id = F(description="The id of the field record this gap belongs to.", examples=["neuroscience"])
    outcome: Optional[Text] = F(None, description="What would be true once the gap is closed: a checkable end state.",
                                examples=["A public synapse-level map of a whole mouse brain."])
    capabilities: list[CapabilityLink] = F([], description="The capabilities the gap cannot close without, "
                                           "each with an optional role and note.",
                                           examples=[[{"capability": "expansion-microscopy", "role": "necessary"}]])
    related_gaps: list[Id] = F([], description="Ids of other gaps that share causes or would close together.",
                               examples=[["no-cellular-map-of-the-human-body"]])
    assessment: Optional[Assessment] = F(None, description="Importance, tractability and neglectedness scores with a rationale.",
                                         examples=[{"importance": 4, "tractability": 3, "neglectedness": 4,
                                                    "confidence": "medium", "rationale": "Why these scores."}])
    # Counterparts on other gap maps, by the map's key: `gapmap_org: [<uuid>, ...]`.
    crosswalk: dict[ExternalKey, Annotated[list[str], F(description="Ids of that map's gaps this gap covers.",
                                                        examples=[["1c1cb37e-2a00-8013-a845-c84eb5cde804"]])]] = F(
        {}, description="Counterparts on other gap maps, by the map's key: the ids of that map's gaps this gap covers.",
        examples=[{"gapmap_org": ["1c1cb37e-2a00-8013-a845-c84eb5cde804"]}])


class Build(_Strict):
    """What a focused project to build the capability would take."""

    cost_usd: Distribution = F(description="What the project would cost in US dollars: a number or a distribution "
                               "(fixed, uniform, triangular, or lognormal by its 5th and 95th percentiles).",
                               examples=[{"dist": "lognormal", "p05": 30e6, "p95": 200e6}, 50e6])
    years: Distribution = F(description="How many years the project would take: a number or a distribution.",
                            examples=[{"dist": "triangular", "low": 4, "mode": 6, "high": 10}, 5])
    confidence: Optional[Confidence] = F(None, description="How sure the estimate is: low, medium or high.", examples=["low"])
    source: Optional[Id] = F(None, description="The resource the figures come from (a budget, grant, agency estimate).",
                             examples=["e11-bio-roadmap"])
    # `sourced`: the figures come from `source` (a budget, grant, agency estimate);
    # `rule-of-thumb`: team size x duration, shown as such on the page and in the portfolio.
    basis: Optional[Literal["sourced", "rule-of-thumb"]] = F(
        None, description="sourced: the figures come from `source`; rule-of-thumb: team size times duration, "
                          "shown as such on the page and in the portfolio.", examples=["sourced"])
    note: Optional[Text] = F(None, description="How the figures were arrived at, in a sentence or two.",
                             examples=["A focused research organisation of about 30 people for 5-7 years."])

    @model_validator(mode="after")
    def _positive(self):
        for name in ("cost_usd", "years"):
            low, _ = bounds(getattr(self, name))
            if low < 0 or (name == "cost_usd" and low == 0):
                raise PydanticCustomError("bad-distribution", f"build.{name} must be positive")
        return self


Basis = Literal["realised", "estimate", "projection"]


class Observation(_Strict):
    """One sourced point of a cost series: what was measured, in which year's dollars."""

    year: Year = F(description="The year the value was measured or quoted.", examples=[2015])
    value: Positive = F(description="The unit cost that year, in the series' unit.", examples=[1245.0])
    source: Id = F(description="The resource the value comes from.", examples=["nhgri-sequencing-costs"])
    basis: Optional[Basis] = F(None, description="realised (a price or cost paid), estimate (someone's estimate) "
                               "or projection (a forecast).", examples=["realised"])
    dollar_year: Optional[Year] = F(None, description="The currency year of `value` when the unit is money; the loader "
                                    "converts it to the series' dollar_year with deflators.yaml.", examples=[2015])
    cumulative: Optional[Positive] = F(None, description="Cumulative production by `year`, for Wright's law (experience) models.",
                                       examples=[1.2e6])
    note: Optional[Text] = F(None, description="Anything a reader needs to trust or reuse the value.",
                             examples=["List price of the kit, excluding labour."])
    # the value as written, before the loader converted it to the series' dollar year (None:
    # not converted)
    _nominal: Optional[float] = PrivateAttr(default=None)


class Point(_Strict):
    """A year and a value: where a modelled trajectory starts."""

    year: Year = F(description="The year of the starting value.", examples=[2024])
    value: Positive = F(description="The unit cost that year, in the series' unit.", examples=[600.0])


class CostModel(_Strict):
    """How the unit cost moves: a trend in time, a learning curve, or a trend with a break."""

    kind: Literal["exponential", "experience", "piecewise"] = F(
        description="exponential (a steady decline in time), experience (Wright's law: a decline per doubling "
                    "of cumulative production) or piecewise (a trend that changes at break_year).",
        examples=["exponential"])
    annual_decline: Optional[Distribution] = F(None, description="The fraction the cost falls each year "
                                               "(exponential, piecewise); fitted from the observations when absent.",
                                               examples=[{"dist": "uniform", "low": 0.1, "high": 0.3}, 0.2])
    volatility: Optional[Annotated[float, F(ge=0, le=5, allow_inf_nan=False)]] = F(
        None, description="Year-to-year noise of the log cost (standard deviation); fitted when absent.", examples=[0.15])
    learning_rate: Optional[Distribution] = F(None, description="The fraction the cost falls per doubling of "
                                              "cumulative production (experience models); with production_growth "
                                              "also absent, both are fitted from the observations' `cumulative`.",
                                              examples=[0.2])
    production_growth: Optional[Distribution] = F(None, description="The yearly growth rate of production "
                                                  "(experience models); fitted with learning_rate when both are absent.", examples=[{"dist": "uniform", "low": 0.1, "high": 0.4}])
    break_year: Optional[Year] = F(None, description="The year the trend changes (piecewise models).", examples=[2008])
    start: Optional[Point] = F(None, description="Where the trajectory starts when there are no observations.",
                               examples=[{"year": 2024, "value": 600.0}])

    @model_validator(mode="after")
    def _parameters(self):
        if self.kind == "experience" and (self.learning_rate is None) != (self.production_growth is None):
            raise PydanticCustomError(
                "bad-model", "an experience model needs learning_rate and production_growth both, or neither "
                "(then both are fitted from the observations' cumulative production)"
            )
        if self.kind == "piecewise" and self.break_year is None:
            raise PydanticCustomError("bad-model", "a piecewise model needs break_year")
        for name in ("annual_decline", "learning_rate"):
            d = getattr(self, name)
            if d is not None:
                low, high = bounds(d)
                if low <= -1 or high >= 1:
                    raise PydanticCustomError(
                        "bad-model", f"{name} is a fraction per year (or per doubling) between -1 and 1"
                    )
        return self


class Target(_Strict):
    """The unit cost at which the capability would close its gaps."""

    value: Positive = F(description="The target unit cost, in the series' unit.", examples=[100.0])
    label: Optional[Text] = F(None, description="What reaching the target means, in a few words.",
                              examples=["the $100 genome"])
    year: Optional[Year] = F(None, description="The year by which the target is wanted, if any.", examples=[2030])


class Cost(_Strict):
    """How the unit cost of using a capability falls over time, with the data behind it."""

    unit: Text = F(description="What one unit is and what is paid for it.", examples=["USD per human genome (30x)"])
    dollar_year: Optional[Year] = F(None, description="The series' dollar base; observations are converted to it.",
                                    examples=[2022])
    observations: list[Observation] = F([], description="Sourced points of the series, one per year measured.",
                                         examples=[[{"year": 2015, "value": 1245.0, "source": "nhgri-sequencing-costs"}]])
    model: CostModel = F(description="How the cost is modelled forward.", examples=[{"kind": "exponential"}])
    target: Optional[Target] = F(None, description="The unit cost at which the capability would do its job.",
                                 examples=[{"value": 100.0, "label": "the $100 genome"}])
    confidence: Optional[Confidence] = F(None, description="How sure the series and model are: low, medium or high.",
                                         examples=["medium"])

    @model_validator(mode="after")
    def _origin(self):
        if not self.observations and self.model.start is None:
            raise PydanticCustomError(
                "bad-model", "a cost block needs observations or model.start to begin the trajectory"
            )
        return self


class Capability(Record):
    """A tool, dataset, platform or institution whose absence holds gaps open."""

    summary: Text = F(description="One or two sentences: what the capability would let people do.",
                      examples=["Imaging a whole brain at synapse resolution with light microscopes."])
    description: Text = F(description="The capability in Markdown: what exists, what is missing, what it would "
                          "take; figures cite resources inline as [resource-id].",
                          examples=["Expansion microscopy swells tissue about 20-fold ... [e11-bio-roadmap]."])
    kind: Optional[CapabilityKind] = F(None, description="What sort of thing it is.", examples=["technology"])
    maturity: Optional[Maturity] = F(None, description="How far along it is, from concept to deployed.", examples=["prototype"])
    requires: list[Id] = F([], description="Ids of capabilities this one cannot be built without.",
                           examples=[["tissue-clearing"]])
    build: Optional[Build] = F(None, description="What a focused project to build it would take (cost and years).",
                               examples=[{"cost_usd": {"dist": "lognormal", "p05": 30e6, "p95": 200e6},
                                          "years": 6, "basis": "rule-of-thumb"}])
    cost: Optional[Cost] = F(None, description="How the unit cost of using it falls over time, with the data behind it.",
                             examples=[{"unit": "USD per genome", "model": {"kind": "exponential", "start":
                                        {"year": 2024, "value": 600.0}}}])
    unpriced: Optional[Text] = F(None, description="One sentence: why neither a build estimate nor a cost series exists.",
                                 examples=["No programme has published a budget, and team size is not yet knowable."])


class Resource(Record):
    """A source: paper, dataset, organization, programme, roadmap, person."""

    url: Url = F(description="Where the resource is: an http(s) address.", examples=["https://doi.org/10.1016/j.cell.2020.08.010"])
    kind: Optional[ResourceKind] = F(None, description="What sort of source it is.", examples=["research-and-reviews"])
    year: Optional[Year] = F(None, description="The year it was published or founded.", examples=[2020])
    doi: Optional[Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")]] = F(
        None, description="Its DOI, without the https://doi.org/ prefix.", examples=["10.1016/j.cell.2020.08.010"])


class Uncovered(_Strict):
    """A gap of another map with no counterpart here, and why (crosswalk/<map>.yaml)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=100)] = F(
        description="The gap's id on the other map.", examples=["1c1cb37e-2a00-8013-a845-c84eb5cde804"])
    status: Literal["not-yet-written", "out-of-scope"] = F(
        description="not-yet-written (a gap we should write) or out-of-scope (not a capability gap as we define it).",
        examples=["not-yet-written"])
    reason: Text = F(description="Why there is no counterpart, in a sentence.",
                     examples=["Economic forecasting tools are not yet written up."])


class Deflators(_Strict):
    """deflators.yaml: a price index by year, to put a cost series in one year's dollars."""

    source: Id = F(description="The resource the index values come from.", examples=["bls-cpi-u-us-city-average"])
    series: Text = F(description="Which index, with its base.", examples=["CPI-U annual average, 1982-84=100"])
    index: dict[Year, Positive] = F(description="The index value by year.", examples=[{"2020": 258.811, "2021": 270.97}])


TagMeaning = Annotated[Text, F(description="What the tag means, in one sentence; the key is the tag id records use.",
                               examples=["Mapping neurons and their connections."])]


class TagVocabulary(RootModel[dict[Id, TagMeaning]]):
    """tags.yaml: each tag id and the one sentence saying what it means."""


MODEL_BY_KIND: dict[str, type[Record]] = {
    "field": Field,
    "gap": Gap,
    "capability": Capability,
    "resource": Resource,
}
KIND_BY_FOLDER = {"fields": "field", "gaps": "gap", "capabilities": "capability", "resources": "resource"}
FOLDER_BY_KIND = {kind: folder for folder, kind in KIND_BY_FOLDER.items()}
