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


SEED = "from gapmap.cost.jit import seed; print(seed())"
LEVELS = "from gapmap.cost.jit import host_levels; print(*(f'{n} {x}' for n, x in host_levels()), sep='\\n')"


class BuildPyWithKernels(build_py):
    def run(self):
        super().run()
        lib = Path(self.build_lib)
        out = lib / "gapmap" / "cost" / "_jit"
        shutil.rmtree(out, ignore_errors=True)  # a stale build/ folder must not ship old kernels
        env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
        env |= {"PYTHONPATH": str(lib), "NUMBA_CACHE_DIR": str(out)}
        found = subprocess.run([sys.executable, "-c", LEVELS], env=env, capture_output=True, text=True)
        if found.returncode != 0:
            return self._none(out, found.stderr)
        levels = [line.partition(" ")[::2] for line in found.stdout.splitlines()]
        seeds = [subprocess.Popen([sys.executable, "-c", SEED], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env | {"NUMBA_CPU_NAME": name, "NUMBA_CPU_FEATURES": extra})
                 for name, extra in levels]  # each level into its own folder, side by side
        done = [seed.communicate() + (seed.returncode,) for seed in seeds]
        failed = [err for _, err, code in done if code != 0]
        if failed:
            return self._none(out, failed[0])
        self.announce(f"gapmap: cost kernels compiled into {', '.join(o.strip() for o, _, _ in done)}", 3)

    def _none(self, out: Path, stderr: str) -> None:
        shutil.rmtree(out, ignore_errors=True)
        last = (stderr.strip().splitlines() or ["?"])[-1]
        self.announce(f"gapmap: cost kernels not compiled into the wheel ({last}); a first run compiles them", 3)
