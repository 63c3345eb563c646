"""The integer codes the kernels read, in a module without numba: what only fills arrays or
reads cached results (a warm site build) never imports numba (about 0.4 s)."""

FIXED, UNIFORM, TRIANGULAR, LOGNORMAL = 0, 1, 2, 3  # a distribution spec's kind
DRIFT_STATED, DRIFT_FITTED, DRIFT_EXPERIENCE = 0, 1, 2  # how a cost path's drift is drawn
