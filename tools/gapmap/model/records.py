"""The four record kinds — field, gap, capability, resource — and their nested blocks.

Links are stored once (a gap lists its capabilities; a capability lists what it requires);
every back-link is derived later by the graph stage.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field as F, PrivateAttr, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from gapmap.model.distributions import Distribution, bounds

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
YEAR_MIN, YEAR_MAX = 1900, 2200

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Record(_Strict):
    """Keys every record shares."""

    id: Id
    title: Title
    summary: Optional[Text] = None
    description: Optional[Text] = None
    tags: list[Id] = []
    resources: list[Id] = []
    external_ids: dict[ExternalKey, str] = {}  # e.g. gapmap_org: <uuid of the gap-map.org record>


class Field(Record):
    """A scientific field: the top level of the map."""

    summary: Text
    description: Text


class CapabilityLink(_Strict):
    """A typed gap→capability link; no role means unknown, which the models read as necessary."""

    capability: Id
    role: Optional[Role] = None
    note: Optional[Text] = None


class Assessment(_Strict):
    """Scores behind the ranked gap list, with how sure we are and why."""

    importance: Score
    tractability: Score
    neglectedness: Score
    confidence: Confidence
    rationale: Text


class Gap(Record):
    """Something science cannot yet know or build, and what would close it."""

    summary: Text
    description: Text
    field: Id
    outcome: Optional[Text] = None
    capabilities: list[CapabilityLink] = []
    related_gaps: list[Id] = []
    assessment: Optional[Assessment] = None
    # Counterparts on other gap maps, by the map's key: `gapmap_org: [<uuid>, ...]`.
    crosswalk: dict[ExternalKey, list[str]] = {}


class Build(_Strict):
    """What a focused project to build the capability would take."""

    cost_usd: Distribution
    years: Distribution
    confidence: Optional[Confidence] = None
    source: Optional[Id] = None
    # `sourced`: the figures come from `source` (a budget, grant, agency estimate);
    # `rule-of-thumb`: team size x duration, shown as such on the page and in the portfolio.
    basis: Optional[Literal["sourced", "rule-of-thumb"]] = None
    note: Optional[Text] = None

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

    year: Year
    value: Positive
    source: Id
    basis: Optional[Basis] = None  # realised price or cost, someone's estimate, or a projection
    dollar_year: Optional[Year] = None  # the currency year of `value`, when the unit is money
    cumulative: Optional[Positive] = None  # cumulative production by `year`, for Wright's law
    note: Optional[Text] = None
    # the value as written, before the loader converted it to the series' dollar year (None:
    # not converted)
    _nominal: Optional[float] = PrivateAttr(default=None)


class Point(_Strict):
    year: Year
    value: Positive


class CostModel(_Strict):
    """How the unit cost moves: a trend in time, a learning curve, or a trend with a break."""

    kind: Literal["exponential", "experience", "piecewise"]
    annual_decline: Optional[Distribution] = None
    volatility: Optional[Annotated[float, F(ge=0, le=5, allow_inf_nan=False)]] = None
    learning_rate: Optional[Distribution] = None
    production_growth: Optional[Distribution] = None
    break_year: Optional[Year] = None
    start: Optional[Point] = None

    @model_validator(mode="after")
    def _parameters(self):
        if self.kind == "experience" and (self.learning_rate is None or self.production_growth is None):
            raise PydanticCustomError(
                "bad-model", "an experience model needs learning_rate and production_growth"
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
    value: Positive
    label: Optional[Text] = None
    year: Optional[Year] = None


class Cost(_Strict):
    """How the unit cost of using a capability falls over time, with the data behind it."""

    unit: Text
    dollar_year: Optional[Year] = None  # the series' dollar base; observations are converted to it
    observations: list[Observation] = []
    model: CostModel
    target: Optional[Target] = None
    confidence: Optional[Confidence] = None

    @model_validator(mode="after")
    def _origin(self):
        if not self.observations and self.model.start is None:
            raise PydanticCustomError(
                "bad-model", "a cost block needs observations or model.start to begin the trajectory"
            )
        return self


class Capability(Record):
    """A tool, dataset, platform or institution whose absence holds gaps open."""

    summary: Text
    description: Text
    kind: Optional[CapabilityKind] = None
    maturity: Optional[Maturity] = None
    requires: list[Id] = []
    build: Optional[Build] = None
    cost: Optional[Cost] = None
    unpriced: Optional[Text] = None  # one sentence: why neither a build estimate nor a cost series exists


class Resource(Record):
    """A source: paper, dataset, organization, programme, roadmap, person."""

    url: Url
    kind: Optional[ResourceKind] = None
    year: Optional[Year] = None
    doi: Optional[Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")]] = None


class Uncovered(_Strict):
    """A gap of another map with no counterpart here, and why (crosswalk/<map>.yaml)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    status: Literal["not-yet-written", "out-of-scope"]
    reason: Text


class Deflators(_Strict):
    """deflators.yaml: a price index by year, to put a cost series in one year's dollars."""

    source: Id  # the resource the index values come from
    series: Text  # which index, e.g. "CPI-U annual average, 1982-84=100"
    index: dict[Year, Positive]


MODEL_BY_KIND: dict[str, type[Record]] = {
    "field": Field,
    "gap": Gap,
    "capability": Capability,
    "resource": Resource,
}
KIND_BY_FOLDER = {"fields": "field", "gaps": "gap", "capabilities": "capability", "resources": "resource"}
FOLDER_BY_KIND = {kind: folder for folder, kind in KIND_BY_FOLDER.items()}
