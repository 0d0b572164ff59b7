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


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the checkout must not leak into the fresh environment.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")} | (env or {})
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
    # The dependencies come from this run's environment, so check what they cannot: every distribution the
    # answer imports is one the wheel declares, or one of theirs. On a store of its own: a start on a store already
    # prepared reads it without SQLAlchemy, one that prepares a store imports it.
    loaded = _run(python, "-c", _LOADED_BY_AN_ANSWER, cwd=home, env={"BRIEFBOT_DB": str(home / "fresh.sqlite3")})
    assert loaded.returncode == 0, loaded.stderr
    (distributions,) = [line.split()[1:] for line in loaded.stdout.splitlines() if line.startswith("LOADED ")]
    assert "sqlalchemy" in distributions and "pydantic" in distributions
    undeclared = set(distributions) - _declared_closure(wheel)
    assert not undeclared, f"imported but not declared by the wheel: {sorted(undeclared)}"


# Answers /who i-Soon in-process, then prints the distributions of every module it imported.
_LOADED_BY_AN_ANSWER = """
import sys
from importlib.metadata import packages_distributions
from adapters.cli import main
main(["ask", "/who i-Soon"])
tops = {name.split(".")[0] for name in list(sys.modules)}
owners = packages_distributions()  # read once: it scans every installed distribution
found = {d for top in tops for d in owners.get(top, ())}
print("LOADED", *sorted(d.lower().replace("_", "-") for d in found if d.lower() != "briefbot"))
"""


def _declared_closure(wheel: Path) -> set[str]:
    """The wheel's required distributions and theirs, through the installed metadata, by normalised name."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    pending = [Requirement(line.split(":", 1)[1]) for line in text.splitlines() if line.startswith("Requires-Dist:")]
    pending = [r for r in pending if r.marker is None or r.marker.evaluate({"extra": ""})]
    seen: set[str] = set()
    while pending:
        name = pending.pop().name.lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            found = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in found:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement)
    return seen
