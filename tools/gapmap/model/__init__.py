"""The record formats as pydantic models: the single source of truth for schemas and docs."""

from gapmap.model.distributions import Distribution, Fixed, Lognormal, Triangular, Uniform
from gapmap.model.records import (
    KIND_BY_FOLDER,
    MODEL_BY_KIND,
    Assessment,
    Build,
    Capability,
    CapabilityLink,
    Cost,
    CostModel,
    Field,
    Gap,
    Observation,
    Record,
    Resource,
)

__all__ = [
    "Assessment", "Build", "Capability", "CapabilityLink", "Cost", "CostModel", "Distribution",
    "Field", "Fixed", "Gap", "KIND_BY_FOLDER", "Lognormal", "MODEL_BY_KIND", "Observation",
    "Record", "Resource", "Triangular", "Uniform",
]
