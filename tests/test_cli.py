"""The `briefbot` command line, run as a user runs it."""

import json
import subprocess
from pathlib import Path

from adapters.cli import main
from conftest import run_briefbot


def briefbot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_briefbot(*args, stdin=stdin)


def test_the_readme_command_prints_the_isoon_card_with_the_uk_sanction_and_sources():
    run = briefbot("ask", "/who i-Soon")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("i-Soon — Sichuan Anxun Information Technology Co., Ltd.")
    assert "designated 2025-12-09" in run.stdout
    assert "The FCDO alleges that i-Soon" in run.stdout
    assert "\nSources\n  [1] " in run.stdout
    assert run.stderr == ""


def test_ask_json_prints_the_reply_shape(capsys):
    assert main(["ask", "--json", "/who", "Hurricane", "Salt"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "found"
    assert data["entity"]["id"] == "salt-typhoon"
    assert data["text"].startswith("Salt Typhoon")


def test_usage_errors_exit_with_code_2_and_a_message(capsys):
    assert main(["ask", "/sanctions since 2025-02-30"]) == 2
    assert "not a real date" in capsys.readouterr().out
    assert main(["ask", "/frobnicate"]) == 2


def test_a_missing_subcommand_is_a_usage_error():
    run = briefbot()
    assert run.returncode == 2
    assert "usage: briefbot" in run.stderr
    assert "Traceback" not in run.stderr


def test_match_prints_score_match_and_explanation_as_json(capsys):
    assert (
        main(
            [
                "match",
                "Sichuan Anxun Information Technology Co., Ltd.",
                "SICHUAN ANXUN INFORMATION TECHNOLOGY COMPANY LIMITED",
                "--kind",
                "company",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data == {"score": 1.0, "match": True, "explanation": "same name after normalisation"}


def test_match_rejects_a_false_friend(capsys):
    assert main(["match", "Sichuan Airlines", "Sichuan Anxun Information Technology", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["match"] is False and data["score"] < 0.5


def test_match_needs_two_names(capsys):
    assert main(["match", "only one"]) == 2
    assert "exactly two names" in capsys.readouterr().err


def test_match_pairs_writes_one_json_line_per_pair_and_reports_bad_rows(tmp_path: Path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,kind\n"
        'ZHAO Guangzong,"ZHAO, Guangzong",person\n'
        "Integrity Staffing Solutions,Integrity Technology Group,company\n"
        "lonely\n"
        "a,b,planet\n"
        "i-Soon,isoon\n",
        encoding="utf-8",
    )
    assert main(["match", "--pairs", str(pairs)]) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["line"] for line in lines] == [2, 3, 4, 5, 6]
    assert lines[0]["match"] is True and lines[1]["match"] is False and lines[4]["match"] is True
    assert "two names" in lines[2]["error"] and "unknown kind" in lines[3]["error"]


def test_match_pairs_on_a_missing_file_is_a_usage_error(tmp_path: Path, capsys):
    assert main(["match", "--pairs", str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_match_pairs_on_a_binary_file_is_a_usage_error(tmp_path: Path, capsys):
    binary = tmp_path / "pairs.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x82 not utf-8")
    assert main(["match", "--pairs", str(binary)]) == 2
    assert "not a UTF-8 CSV" in capsys.readouterr().err


def test_chat_answers_each_line_and_leaves_at_end_of_input():
    run = briefbot("chat", stdin="/who Flax Typhoon\n/help\n\n/who\n")
    assert run.returncode == 0, run.stderr
    assert "Flax Typhoon" in run.stdout
    assert "/related NAME" in run.stdout
    assert "Tell me a name" in run.stdout


def test_sources_lists_cited_documents_and_the_publishers_notices():
    run = briefbot("sources")
    assert run.returncode == 0
    assert "Open Government Licence v3.0" in run.stdout
    assert "This work is reproduced and distributed with the permission of The MITRE Corporation." in run.stdout
    assert "CC BY-NC 4.0" in run.stdout
    assert "13-country joint advisory" in run.stdout
    # The romanisation tables name their standards (issue #25): every system the matcher reads.
    for standard in (
        "McCune-Reischauer",
        "Revised Romanization",
        "Wade-Giles",
        "Yale romanization of Mandarin",
        "Hundred Family Surnames",
        "BGN/PCGN",
    ):
        assert standard in run.stdout
    assert "ICAO Doc 9303" in run.stdout and "ISO 9:1995" in run.stdout and "Duden" in run.stdout
    assert "ALA-LC" in run.stdout


def test_platform_subcommands_reach_their_apps():
    run = briefbot("slack", "manifest", "--socket")
    assert run.returncode == 0, run.stderr
    assert '"socket_mode_enabled": true' in run.stdout
    missing = briefbot("slack", "serve", "--socket")
    assert missing.returncode == 2 and "SLACK_BOT_TOKEN is not set" in missing.stderr


def test_the_notice_file_at_the_root_is_the_one_the_package_ships():
    root = Path(__file__).resolve().parents[1]
    assert (root / "NOTICE").read_text(encoding="utf-8") == (root / "knowledge/data/NOTICE").read_text(encoding="utf-8")


def test_chat_keeps_the_conversations_subject_for_a_follow_up_as_a_thread_does():
    run = briefbot("chat", stdin="who sanctioned i-Soon?\nwho sanctioned them?\n")
    assert run.returncode == 0, run.stderr
    answers = run.stdout.split("Understood: ")
    assert len(answers) == 3
    assert answers[2].startswith("“them” = i-Soon (the thread's subject")
