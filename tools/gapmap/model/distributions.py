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
    """A known number (a bare number means this too)."""

    dist: Literal["fixed"] = Field("fixed", description="fixed: the quantity is one known number.", examples=["fixed"])
    value: float = Field(description="The number.", examples=[5])

    def median(self) -> float:
        return self.value


class Uniform(_Dist):
    """Any value between low and high, all equally likely."""

    dist: Literal["uniform"] = Field(description="uniform: every value between low and high equally likely.",
                                     examples=["uniform"])
    low: float = Field(description="The smallest value.", examples=[3])
    high: float = Field(description="The largest value.", examples=[8])

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.high:
            raise PydanticCustomError("bad-distribution", "uniform needs low <= high; swap them")
        return self

    def median(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    """Between low and high, most likely near mode."""

    dist: Literal["triangular"] = Field(description="triangular: between low and high, most likely at mode.",
                                        examples=["triangular"])
    low: float = Field(description="The smallest value.", examples=[4])
    mode: float = Field(description="The most likely value.", examples=[6])
    high: float = Field(description="The largest value.", examples=[10])

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
    """A positive quantity stated by its 5th and 95th percentiles ("between 30 and 200 million")."""

    dist: Literal["lognormal"] = Field(description="lognormal: a positive quantity given by its 5th and 95th percentiles.",
                                       examples=["lognormal"])
    p05: float = Field(gt=0, description="The 5th percentile: 1 in 20 that it is lower.", examples=[30e6])
    p95: float = Field(gt=0, description="The 95th percentile: 1 in 20 that it is higher.", examples=[200e6])

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
