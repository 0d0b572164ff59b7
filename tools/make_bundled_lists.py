"""Rebuilds the small dated list extracts shipped in knowledge/data/lists/ from the real files in shared/data/real.

Run from the repository root: python tools/make_bundled_lists.py [PATH-TO-shared/data/real]
Rows are copied byte for byte; only the choice of rows is ours (the cyber-programme entries).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "knowledge" / "data" / "lists"


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().rstrip(b"\x1a").splitlines(keepends=True)


def _ent(line: bytes) -> bytes:
    return line.split(b",", 1)[0]


def _is_cyber(line: bytes) -> bool:
    # The programmes are the fourth column; "CYBER" appears there, alone or beside another programme.
    return b'"CYBER' in line or b"] [CYBER" in line


def main(real: Path) -> None:
    ofac = real / "ofac"
    late_2025 = [line for line in _lines(ofac / "sdn_cyber_extract_gitmatch-2025.csv") if _is_cyber(line)]
    covered = {_ent(line) for line in late_2025}
    first_in_extract = min(int(_ent(line)) for line in _lines(ofac / "sdn_cyber_extract_gitmatch-2025.csv"))
    older = [
        line
        for line in _lines(ofac / "sdn_2024-05-03.csv")
        if _is_cyber(line) and int(_ent(line)) < first_in_extract and _ent(line) not in covered
    ]
    main_rows = sorted(older + late_2025, key=lambda line: int(_ent(line)))
    wanted = {_ent(line) for line in main_rows}
    target = OUT / "ofac-sdn"
    target.mkdir(parents=True, exist_ok=True)
    (target / "sdn_cyber.csv").write_bytes(b"".join(main_rows))
    for name, companion in (
        ("add_cyber.csv", "add_watchman-2025-12.csv"),
        ("alt_cyber.csv", "alt_watchman-2025-12.csv"),
        ("sdn_comments_cyber.csv", "sdn_comments_watchman-2025-12.csv"),
    ):
        rows = [line for line in _lines(ofac / companion) if _ent(line) in wanted]
        (target / name).write_bytes(b"".join(rows))

    uk = _lines(real / "uk" / "fcdo_uk_sanctions_list_2025-08-11_from-ods.csv")
    target = OUT / "uk-sanctions-list"
    target.mkdir(parents=True, exist_ok=True)
    (target / "uk_sanctions_list_cyber.csv").write_bytes(
        b"".join([uk[0], *(line for line in uk[1:] if line.startswith(b"CYB"))])
    )

    target = OUT / "misp-galaxy"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("threat-actor.json", "surveillance-vendor.json", "microsoft-activity-group.json"):
        shutil.copyfile(real / "misp_galaxy" / name, target / name)

    target = OUT / "mitre-attack"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((real / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set").glob("*.json")):
        shutil.copyfile(path, target / path.name)  # copyfile: the shared copies are read-only, ours need not be
    print(
        f"{len(main_rows)} OFAC cyber rows ({len(older)} from 2024-05-03, {len(late_2025)} from late 2025); "
        f"{sum(1 for line in uk[1:] if line.startswith(b'CYB'))} UK cyber rows; MISP and ATT&CK copied."
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "real")
