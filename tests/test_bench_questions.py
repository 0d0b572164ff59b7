"""The grading rule of the labelled /ask questions (shared/data/questions/README.md), as bench.questions applies it."""

from bench.questions import Row, grade, read_rows


def _row(must: str, must_not: str = "") -> Row:
    return Row("q?", _split(must), _split(must_not))


def _split(cell: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(term.split("/")) for term in cell.split("|") if term)


def test_every_must_term_is_needed_and_one_alternative_of_each_is_enough():
    row = _row("Juxinhe|Huanyu/Tianqiong")
    assert grade(row, "Sichuan JUXINHE and Beijing Tianqiong").passed
    assert grade(row, "Sichuan Juxinhe").missing == ("Huanyu/Tianqiong",)


def test_case_and_runs_of_whitespace_do_not_matter():
    assert grade(_row("Zhixin Ruijie"), "SICHUAN ZHIXIN\n   RUIJIE").passed


def test_a_number_must_stand_alone_not_inside_a_longer_number_date_or_id():
    row = _row("15")
    assert grade(row, "15 removed").passed
    assert grade(row, "removed: 15.").passed
    for inside in ("2024-03-15", "150 added", "ent 47815", "1,150", "3.15"):
        assert not grade(row, inside).passed, inside


def test_any_must_not_term_present_fails_the_answer():
    row = _row("Xiaoruizhi", "Bitpapa|ZHOU, Yun/Zhou Yun")
    assert grade(row, "Wuhan Xiaoruizhi").passed
    graded = grade(row, "Wuhan Xiaoruizhi; Zhou  Yun")
    assert not graded.passed and graded.forbidden == ("Zhou Yun",)


def test_rows_are_read_without_the_header_each_term_with_its_alternatives(tmp_path):
    path = tmp_path / "q.tsv"
    path.write_text("# question\tmust\tmust_not\twhy\na question\tx|y/z\t\twhy\n", encoding="utf-8")
    assert read_rows(path) == [Row("a question", (("x",), ("y", "z")), ())]
