"""A screening written out: a CSV for the spreadsheet (formula-looking cells neutralised) and a readable HTML page."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator

from bot.screening.engine import Verdict
from bot.screening.result import Screening

__all__ = ["COLUMNS", "FORMULA_START", "csv_bytes", "file_names", "html_bytes", "neutralise", "table_rows"]

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection): written with a
# leading apostrophe, which they show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "row",
    "name",
    "country",
    "date of birth",
    "verdict",
    "entity",
    "reference",
    "kind",
    "lists",
    "matched name",
    "how",
    "score",
    "why",
    "details compared",
    "decision standing",
    "note",
)


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def table_rows(screening: Screening) -> Iterator[list[str]]:
    """One line per row and candidate, as the file gives them; a row without a candidate has one line."""
    for screened in screening.rows:
        row = screened.row
        note = screened.note or ""
        if screened.duplicate_of is not None:
            note = f"same as row {screened.duplicate_of}" + (f"; {note}" if note else "")
        head = [str(row.number), row.shown, row.country or "", row.birth or "", screened.verdict.value]
        if not screened.hits:
            yield [*head, "", "", "", "", "", "", "", "", "", "", note]
            continue
        for hit in screened.hits:
            prior = screening.prior.get((row.number, hit.reference))
            yield [
                *head,
                hit.caption,
                hit.reference,
                hit.kind,
                " | ".join(hit.lists),
                hit.matched,
                hit.how,
                f"{hit.score:.2f}",
                hit.why,
                "; ".join(hit.checks),
                prior.describe() if prior else "",
                note,
            ]
    for number, why in screening.set_aside:
        yield [str(number), "", "", "", "not screened", "", "", "", "", "", "", "", "", "", "", why]


def _preamble(screening: Screening) -> list[str]:
    lines = [
        f"Screening {screening.id}, {screening.started_at:%Y-%m-%d %H:%M} UTC, of {screening.source}",
        screening.headline(),
        f"Lists: {screening.editions_text}",
        f"Input SHA-256: {screening.input_digest}",
    ]
    if screening.over_limit:
        lines.append(
            f"Not screened: the {screening.over_limit:,} rows after the first {screening.limit:,} (the limit)"
            f"{screening.stopped_where}; screen them in another file."
        )
    lines += screening.notes
    return lines


def csv_bytes(screening: Screening) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the names' accents and scripts right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for line in table_rows(screening):
        writer.writerow([neutralise(cell) for cell in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}th{background:#f3f3f3}
tr.match td:nth-child(5){background:#f8d7da;font-weight:bold}tr.possible td:nth-child(5){background:#fff3cd}
tr.none td:nth-child(5){color:#2e7d32}p.meta{color:#555}"""
_CLASS = {Verdict.MATCH.value: "match", Verdict.POSSIBLE.value: "possible", Verdict.NO_MATCH.value: "none"}


def html_bytes(screening: Screening) -> bytes:
    """A page to read in a browser: the summary, the list editions, then every row, all text escaped."""
    shown = ("row", "name", "country", "date of birth", "verdict", "entity", "reference", "lists", "matched name")
    keep = [COLUMNS.index(c) for c in shown] + [COLUMNS.index(c) for c in ("score", "why", "details compared")]
    keep += [COLUMNS.index("decision standing"), COLUMNS.index("note")]
    head = "".join(f"<th>{html.escape(COLUMNS[i])}</th>" for i in keep)
    body = []
    for line in table_rows(screening):
        cells = "".join(f"<td>{html.escape(line[i])}</td>" for i in keep)
        body.append(f'<tr class="{_CLASS.get(line[4], "")}">{cells}</tr>')
    meta = "".join(f'<p class="meta">{html.escape(text)}</p>' for text in _preamble(screening)[2:])
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Screening {html.escape(screening.id)}'
        f"</title><style>{_STYLE}</style></head><body><h1>{html.escape(screening.headline())}</h1>"
        f'<p class="meta">{html.escape(_preamble(screening)[0])}</p>{meta}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )
    return page.encode("utf-8")


def file_names(screening: Screening) -> tuple[str, str]:
    stem = f"screening-{screening.started_at:%Y%m%d-%H%M}-{screening.id}"
    return f"{stem}.csv", f"{stem}.html"
