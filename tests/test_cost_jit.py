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
print(json.dumps({"compiled": compiled, "kernels": kernels.__file__}))
"""


def test_a_fresh_install_from_the_wheel_compiles_no_kernel(tmp_path):
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
    env["XDG_CACHE_HOME"] = str(tmp_path / "user-cache")  # a user who never ran gapmap
    probe = subprocess.run([str(python), "-c", _PROBE, str(REPO)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=600)
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.splitlines()[-1])
    assert str(tmp_path / "venv") in result["kernels"], "the probe ran the source tree, not the wheel"
    assert result["compiled"] == [], f"kernels missing from the wheel's compiled cache: {result['compiled']}"
    assert list((tmp_path / "user-cache" / "gapmap").glob("kernels-*/*.nbi")), "nothing copied to the user cache"


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
