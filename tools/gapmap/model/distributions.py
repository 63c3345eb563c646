"""Uncertain quantities as contributors can state them: a bare number, or a named distribution.

`lognormal` is given by its 5th and 95th percentiles because that is what people can actually
say ("between 30 and 200 million, probably"); sampling converts it to mu/sigma.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Z95 = 1.6448536269514722  # standard normal 95th percentile


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: float

    def median(self) -> float:
        return self.value


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.high:
            raise PydanticCustomError("bad-distribution", "uniform needs low <= high; swap them")
        return self

    def median(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.mode <= self.high:
            raise PydanticCustomError(
                "bad-distribution", "triangular needs low <= mode <= high; reorder the three values"
            )
        return self

    def median(self) -> float:
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return a
        if c >= (a + b) / 2:
            return a + math.sqrt((b - a) * (c - a) / 2)
        return b - math.sqrt((b - a) * (b - c) / 2)


class Lognormal(_Dist):
    dist: Literal["lognormal"]
    p05: float = Field(gt=0)
    p95: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self):
        if not self.p05 < self.p95:
            raise PydanticCustomError(
                "bad-distribution", "lognormal needs p05 < p95; use a fixed value if they are equal"
            )
        return self

    @property
    def mu(self) -> float:
        return (math.log(self.p05) + math.log(self.p95)) / 2

    @property
    def sigma(self) -> float:
        return (math.log(self.p95) - math.log(self.p05)) / (2 * Z95)

    def median(self) -> float:
        return math.exp(self.mu)


def _coerce(value: Any) -> Any:
    """A bare number means a fixed distribution; bools are not numbers here."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    if isinstance(value, dict) and "dist" not in value:
        raise PydanticCustomError(
            "bad-distribution",
            "a distribution needs `dist: fixed|uniform|triangular|lognormal` or a bare number",
        )
    return value


Distribution = Annotated[
    Union[Fixed, Uniform, Triangular, Lognormal],
    Field(discriminator="dist"),
    BeforeValidator(_coerce),
]


def bounds(d) -> tuple[float, float]:
    """The smallest and largest value a distribution can take (lognormal: its 5–95% range)."""
    if isinstance(d, Fixed):
        return d.value, d.value
    if isinstance(d, Lognormal):
        return d.p05, d.p95
    return d.low, d.high
