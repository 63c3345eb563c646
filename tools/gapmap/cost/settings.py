"""The one settings object of the cost stage: sample count, seed, horizon, theta, start year.

Every entry point (forecasts, schedules, portfolio, hindcasts, the site build, the CLI) takes a
`Settings`; the default sample count and seed are core.settings' (defined once, for every stage).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from gapmap.core.settings import SAMPLES, SEED
HORIZON = 30  # years a forecast runs past its origin
THETA_FL = 0.63  # Farmer & Lafond's global moving-average coefficient, from their 53 technologies
START_YEAR = datetime.date.today().year


@dataclass(frozen=True)
class Settings:
    samples: int = SAMPLES
    seed: int = SEED
    horizon: int = HORIZON
    # fitted trends: None pools toward the cross-technology prior (pooling.py); a number runs Farmer &
    # Lafond's reference method, unpooled, with that theta (0.63 theirs, 0 a plain random walk)
    theta: float | None = None
    start_year: int = START_YEAR  # schedules count from the start of this year
