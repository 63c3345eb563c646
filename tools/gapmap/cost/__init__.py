"""Stage 4, cost: records → cost forecasts, gap schedules, portfolio costs and hindcasts.

`kernels` holds the numba Monte Carlo; `sampling`, `fit`, `trajectories`, `schedule`,
`portfolio` and `hindcast` turn records into arrays and results into plain values; `compute`
ties them together with the on-disk `cache`. Importing this package imports numba.
"""

from gapmap.cost.compute import Options, Results, compute_all, cost_forecast, gap_schedules, map_portfolio
from gapmap.cost.hindcast import hindcast_table

__all__ = ["Options", "Results", "compute_all", "cost_forecast", "gap_schedules", "hindcast_table", "map_portfolio"]
