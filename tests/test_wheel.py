"""The built wheel, installed into a fresh virtual environment, answers from outside the repository.

With the packages at the repository root, a test run imports them from the checkout; only an installed wheel shows
that packaging ships every module and data file the bot needs.
"""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the checkout must not leak into the fresh environment.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_wheel_holds_exactly_the_three_packages_and_answers_from_outside_the_repository(tmp_path: Path):
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("briefbot-*.whl")

    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.startswith("briefbot-")}
    assert top == {"knowledge", "bot", "adapters"}
    assert "knowledge/data/entities.toml" in names and "knowledge/data/NOTICE" in names
    assert any(name.startswith("knowledge/data/lists/ofac-sdn/") for name in names)

    # A fresh environment holding the wheel alone; its dependencies are read from this run's environment, whose
    # own copy of the project (an editable install) is not importable from there: the finder that serves it is
    # set up by a .pth file, and .pth files are not run from a folder merely added to the path.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    (site,) = (env_dir / "lib").glob("python3*/site-packages")
    (dependencies,) = {Path(p) for p in sys.path if p.endswith("site-packages") and Path(p, "sqlalchemy").is_dir()}
    assert not any((dependencies / package).exists() for package in top)
    (site / "dependencies.pth").write_text(f"{dependencies}\n")
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    home = tmp_path / "home"
    home.mkdir()
    answer = subprocess.run(
        [str(env_dir / "bin" / "briefbot"), "ask", "/who i-Soon"],
        cwd=home,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "BRIEFBOT_DB": str(home / "store.sqlite3"),
            "BRIEFBOT_CACHE": "off",
            "PYTHONIOENCODING": "utf-8",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr
    assert "Sichuan Anxun Information Technology" in answer.stdout
    assert "UK (FCDO)" in answer.stdout
    where = _run(python, "-c", "import adapters, bot, knowledge; print(knowledge.__file__, bot.__file__)", cwd=home)
    assert where.stdout.startswith(str(site)) and f" {site}" in where.stdout, where
