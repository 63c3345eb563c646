"""setuptools build step: ship the cost kernels compiled (gapmap.cost.jit says why and how).

Runs only when numba and the package's dependencies are importable where the wheel is built
(`pip wheel --no-build-isolation .` in an environment with the `full` extra, as .ci/run and the
release workflow do); otherwise the wheel carries no compiled kernels and a first run compiles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools.command.build_py import build_py


class BuildPyWithKernels(build_py):
    def run(self):
        super().run()
        lib = Path(self.build_lib)
        out = lib / "gapmap" / "cost" / "_jit"
        shutil.rmtree(out, ignore_errors=True)  # a stale build/ folder must not ship old kernels
        env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
        env |= {"PYTHONPATH": str(lib), "NUMBA_CACHE_DIR": str(out), "NUMBA_CPU_NAME": "generic"}
        done = subprocess.run([sys.executable, "-c", "from gapmap.cost.jit import seed; print(seed())"],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(out, ignore_errors=True)
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            self.announce(f"gapmap: cost kernels not compiled into the wheel ({last}); a first run compiles them", 3)
            return
        self.announce(f"gapmap: cost kernels compiled into {done.stdout.strip()}", 3)
