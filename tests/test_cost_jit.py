"""A wheel ships the cost kernels compiled (cost/jit.py), so a fresh install's first run loads
them instead of compiling for 10-15 s — provided every signature the package calls is in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv

from conftest import REPO

_PROBE = """
import json, sys
from gapmap.cost import compute_all, kernels   # first: numba starts as the package asks
from gapmap.load import load_map
from numba.core import event

compiled = []

class Listener(event.Listener):
    def on_start(self, ev):
        pass

    def on_end(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__name__)

event.register("numba:compile", Listener())
compute_all(load_map(sys.argv[1]), samples=300, use_cache=False)
import hashlib, numpy as np
specs = (np.array([1, 2, 3]), np.array([[1, 3, 0], [2, 5, 15], [0, 0.5, 0]]), np.arange(3, dtype=np.uint64))
fit = np.array([-0.3, 0.2, 9.0, 3.0, 1.0])
numbers = (kernels.sample_specs(*specs, 1000, 1),
           kernels.simulate_paths(kernels.DRIFT_FITTED, specs[0], specs[1], fit, -1.0, 0.63, 4.0, 20, 2.0, 1000, 5, np.uint64(9))[0])
from numba.core import config
print(json.dumps({"compiled": compiled, "kernels": kernels.__file__, "cpu": config.CPU_NAME,
                  "numbers": hashlib.sha256(b"".join(a.tobytes() for a in numbers)).hexdigest()}))
"""


def test_a_fresh_install_from_the_wheel_compiles_no_kernel_at_any_cpu_level(tmp_path):
    """The wheel ships the kernels for every CPU level the build machine runs (cost/jit.py); a
    user on any of them compiles nothing, and every level draws the very same numbers."""
    from gapmap.cost import jit

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHON"))}
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            "-w", str(tmp_path / "dist"), str(REPO)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv.create(tmp_path / "venv", system_site_packages=True, with_pip=True)  # dependencies from here
    python = tmp_path / "venv" / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    numbers = set()
    for level, (name, extra) in enumerate(jit.host_levels()):
        cpu = {} if level == 0 else {"NUMBA_CPU_NAME": name, "NUMBA_CPU_FEATURES": extra}  # 0: as gapmap picks
        cache = tmp_path / f"user-cache-{name}"  # a user who never ran gapmap
        probe = subprocess.run([str(python), "-c", _PROBE, str(REPO)], capture_output=True, text=True,
                               env=env | cpu | {"XDG_CACHE_HOME": str(cache)}, cwd=tmp_path, timeout=600)
        assert probe.returncode == 0, probe.stderr
        result = json.loads(probe.stdout.splitlines()[-1])
        assert str(tmp_path / "venv") in result["kernels"], "the probe ran the source tree, not the wheel"
        assert result["cpu"] == name
        assert result["compiled"] == [], f"{name}: kernels missing from the wheel's compiled cache: {result['compiled']}"
        assert list((cache / "gapmap").glob(f"kernels-*-{name}/*.nbi")), f"{name}: nothing copied to the user cache"
        numbers.add(result["numbers"])
    assert len(numbers) == 1, "the CPU level changed the numbers drawn"


_CACHED = """
import json, sys
from gapmap.cost import compute_all
from gapmap.load import load_map
kb = load_map(sys.argv[1])
compute_all(kb, samples=300)
print(json.dumps("numba" in sys.modules))
"""


def test_results_served_from_the_cache_never_start_numba(tmp_path):
    """A warm build reads every model from .gapmap-cache/; starting numba would cost ~0.4 s."""
    import shutil

    kb = tmp_path / "kb"
    for part in ("gaps", "capabilities", "fields", "resources", "tags.yaml", "deflators.yaml"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, kb / part)
    env = dict(os.environ, PYTHONPATH=str(REPO / "tools"))
    runs = [subprocess.run([sys.executable, "-c", _CACHED, str(kb)], capture_output=True, text=True, env=env,
                           timeout=600) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert [json.loads(r.stdout.splitlines()[-1]) for r in runs] == [True, False]


def test_the_cpu_level_is_the_best_the_machine_runs_and_generic_is_always_there():
    from gapmap.cost.jit import X86_LEVELS, levels

    v4, v3 = X86_LEVELS[0][1], X86_LEVELS[1][1]
    assert [n for n, _ in levels("x86_64-unknown-linux-gnu", v4)] == ["x86-64-v4", "x86-64-v3", "generic"]
    assert [n for n, _ in levels("x86_64-unknown-linux-gnu", v3 | {"avx512f"})] == ["x86-64-v3", "generic"]
    assert [n for n, _ in levels("x86_64-unknown-linux-gnu", v3 - {"fma"})] == ["generic"]
    assert levels("aarch64-unknown-linux-gnu", v4) == [("generic", "")]
