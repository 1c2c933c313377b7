"""The benchmarks serve with production settings: they must still start under them.

Benchmarks are not run in CI (they measure, they do not assert), so nothing else notices when
hardened production settings start refusing the benchmark's environment (it happened: a
shared cache and a mail decision became required, and both benchmarks stopped starting).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MATCHWAY_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", ["catalog", "pages", "booking_burst", "load"])
def test_benchmark_environment_starts_production_settings(name: str, tmp_path: Path) -> None:
    module = _load(name)
    database_url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    if name in ("catalog", "pages"):
        env = module.bench_environment(tmp_path)
    elif name == "load":
        env = module.environment(database_url, tmp_path, 2, 8000)
    else:
        env = module.bench_environment(database_url, tmp_path)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
    result = _check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
