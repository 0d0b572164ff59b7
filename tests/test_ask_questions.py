"""The public /ask question set: every question answered with the facts it must hold, and none it must not."""

import pytest

from ask_questions import CASES


def test_the_question_set_is_large_and_covers_every_kind_of_question():
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 100
    assert {"profile", "sanctions", "sanctioned by", "accused", "behind", "linked", "over", "common", "names"} <= kinds
    assert {"based", "fact", "events", "designations", "fallback"} <= kinds
    assert sum(1 for c in CASES if c.status == "not_found") >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.question for c in CASES])
def test_the_answer_holds_what_the_data_says(ask, case):
    reply = ask(case.question)
    text = reply.text.casefold()
    for fact in case.must:
        assert fact.casefold() in text, f"missing {fact!r}"
    for fact in case.must_not:
        assert fact.casefold() not in text, f"should not say {fact!r}"
    if case.status is not None:
        assert reply.status == case.status
    else:
        assert reply.status in ("found", "ok")


# Sections whose lines may have no source of their own: names read from no particular document, and suggestions.
_UNSOURCED_SECTIONS = {"Names", "Other names", "Former names", "Try asking", "Related", "Timeline"}


@pytest.mark.parametrize("case", CASES, ids=[c.question for c in CASES])
def test_every_line_of_an_answer_carries_its_source(ask, case):
    reply = ask(case.question)
    for section in reply.sections:
        if section.title in _UNSOURCED_SECTIONS:
            continue
        for line in section.lines:
            assert line.sources or line.text.startswith(("…", "No ")), f"{section.title}: {line.text}"
    numbers = {c.number for c in reply.citations}
    assert {n for s in reply.sections for line in s.lines for n in line.sources} <= numbers
