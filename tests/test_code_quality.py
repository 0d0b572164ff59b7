"""Lint and architecture contracts run as part of the suite: ruff, and import-linter's adapters -> bot -> knowledge."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    # The tools installed beside this interpreter (the project's own venv), else on PATH.
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def test_ruff_finds_nothing():
    paths = ["knowledge", "bot", "adapters", "tests", "tools", "bench"]
    run = subprocess.run([_tool("ruff"), "check", *paths], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_contracts_hold():
    run = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout and "4 kept" in run.stdout
