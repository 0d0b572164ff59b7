"""Hostile list data and hostile places to write, through the command line in processes of its own: names with line
breaks, ids that are paths, files and links in the way, full disks, and text that would steer a terminal."""

import json
from pathlib import Path

import pytest

from conftest import run_briefbot

HOSTILE = [
    {"id": "NK-newline", "caption": "Evil\nCorp", "schema": "Company", "properties": {"name": ["Evil\nCorp"]}},
    {"id": "../../../../escape", "caption": "邪恶公司", "schema": "Company", "properties": {"name": ["邪恶公司"]}},
    {
        "id": "NK-ansi",
        "caption": "Harmless \x1b[2J\x1b]0;pwned\x07Trading \u202eLLC\u034f\u2800\ufe0f\uffff",
        "schema": "Company",
        "properties": {"name": ["Harmless \x1b[2J\x1b]0;pwned\x07Trading \u202eLLC\u034f\u2800\ufe0f\uffff"]},
    },
]


@pytest.fixture
def hostile_env(tmp_path: Path) -> dict[str, str]:
    """A store of its own with the shipped data and a list holding the hostile records."""
    rows = [
        {**row, "datasets": ["eu_fsf"], "properties": {**row["properties"], "topics": ["sanction"]}} for row in HOSTILE
    ]
    (tmp_path / "hostile.entities.ftm.json").write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    env = {"BRIEFBOT_DB": str(tmp_path / "hostile.sqlite3")}
    loaded = run_briefbot(
        "refresh", "--source", "opensanctions", "--file", str(tmp_path / "hostile.entities.ftm.json"), env=env
    )
    assert loaded.returncode == 0, loaded.stderr
    return env


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def test_a_name_holding_a_line_break_draws_pictures_and_briefs(hostile_env, tmp_path):
    for args in (
        ("picture", "opensanctions:NK-newline", "--out", str(tmp_path / "graph.png")),
        ("picture", "opensanctions:NK-newline", "--kind", "timeline", "--out", str(tmp_path / "timeline.png")),
        ("brief", "opensanctions:NK-newline", "--format", "pdf", "--out", str(tmp_path / "brief.pdf")),
        ("brief", "opensanctions:NK-newline", "--out", str(tmp_path / "brief.md")),
    ):
        ran = run_briefbot(*args, env=hostile_env)
        _no_traceback(ran)
        assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "graph.png").read_bytes().startswith(b"\x89PNG")
    assert "# Evil Corp" in (tmp_path / "brief.md").read_text()


def test_an_id_from_list_data_never_steers_a_brief_out_of_its_folder(hostile_env, tmp_path):
    out = tmp_path / "a" / "b" / "c" / "d"
    out.mkdir(parents=True)
    (out / "opensanctions:..").mkdir()  # what the id's own path would need to escape
    ran = run_briefbot("brief", "opensanctions:../../../../escape", "--out", str(out / "brief.md"), env=hostile_env)
    _no_traceback(ran)
    assert ran.returncode == 0, ran.stderr
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*.png")}
    assert written and all(p.parent == out.relative_to(tmp_path) for p in written), written


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "isoon.png"
    target.write_bytes(b"the user's own file")
    ran = run_briefbot("picture", "i-Soon", "--out", str(target))
    _no_traceback(ran)
    assert ran.returncode == 3 and "exists; give --force" in ran.stderr
    assert target.read_bytes() == b"the user's own file"
    forced = run_briefbot("picture", "i-Soon", "--out", str(target), "--force")
    assert forced.returncode == 0 and target.read_bytes().startswith(b"\x89PNG")


def test_a_symbolic_link_where_a_file_is_written_is_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "brief.pdf"
    link.symlink_to(victim)
    for extra in ((), ("--force",)):
        ran = run_briefbot("brief", "i-Soon", "--format", "pdf", "--out", str(link), *extra)
        _no_traceback(ran)
        assert ran.returncode == 3
    assert "symbolic link; not followed" in ran.stderr
    assert victim.read_text() == "precious"


def test_a_full_disk_is_named_clearly():
    ran = run_briefbot("picture", "i-Soon", "--out", "/dev/full", "--force")
    _no_traceback(ran)
    assert ran.returncode == 3 and "cannot write /dev/full: No space left on device" in ran.stderr
    assert "None" not in ran.stderr


SMUGGLED = ["\x1b", "\x07", "\u202e", "\u034f", "\u2800", "\ufe0f", "\uffff"]


def test_control_and_invisible_characters_from_a_list_never_reach_the_terminal(hostile_env):
    ran = run_briefbot("ask", "/who opensanctions:NK-ansi", env=hostile_env)
    _no_traceback(ran)
    assert "Harmless" in ran.stdout and "LLC" in ran.stdout
    assert not [char for char in SMUGGLED if char in ran.stdout]
    as_json = run_briefbot("ask", "--json", "/who opensanctions:NK-ansi", env=hostile_env)
    assert not [char for char in SMUGGLED if char in json.loads(as_json.stdout)["text"]]


@pytest.mark.parametrize("char", [*SMUGGLED, "\u17b4", "\u17b5", "\ufe00", "\ufffe", "\U000e0100"])
def test_control_and_invisible_characters_typed_by_a_user_are_never_echoed(char):
    ran = run_briefbot("ask", f"/who Sichuan{char} Nowhere{char}")
    _no_traceback(ran)
    assert "Nowhere" in ran.stdout and char not in ran.stdout


def test_a_refused_output_is_refused_before_the_brief_is_drawn(kb, tmp_path, monkeypatch):
    # A refusal used to come after seconds of drawing the PDF; the drawing is now never reached.
    import io

    from adapters import brief_files

    def drawn(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the brief was drawn before the refusal")

    monkeypatch.setattr(brief_files, "brief_pdf", drawn)
    monkeypatch.setattr(brief_files, "build_brief", drawn)
    existing = tmp_path / "brief.pdf"
    existing.write_bytes(b"kept")
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")
    for out, said in ((existing, "exists; give --force"), (link, "symbolic link; not followed")):
        with pytest.raises(brief_files.OutputError, match=said):
            brief_files.write_brief(kb, "curated:isoon", fmt="pdf", out=out, stdout=io.StringIO())
    with pytest.raises(brief_files.OutputError, match="exists; give --force"):
        brief_files.write_picture(kb, "curated:isoon", kind="graph", out=existing)
    assert existing.read_bytes() == b"kept"
