"""Screening on the real lists: listed names, other lists' spellings of them, and false friends, each rightly judged."""

import csv
import io
from collections import Counter

import pytest

from bot.screening.engine import Verdict, screen_row
from bot.screening.rows import InputRow
from bot.screening.service import Screener, Who
from conftest import TODAY
from knowledge.names.lookup import MATCH_THRESHOLD

# name, country, date of birth, the verdict, and the listed name the row must find (None for no match). Names are
# copied from the real files (OFAC SDN 2024-05-03, UK Sanctions List 2025-08-11, OFSI ConList 2018, UN 2026-02-27).
REAL_ROWS = [
    # Listed names as their own list writes them.
    ("NGARUYE, Baudoin", "", "", Verdict.MATCH, "NGARUYE, Baudoin"),
    ("KAMNEV, Georgy Petrovich", "", "", Verdict.MATCH, "KAMNEV, Georgy Petrovich"),
    ("OJSC SOVFRACHT", "", "", Verdict.MATCH, "OJSC SOVFRACHT"),
    ("ROSNEFT TRADING S.A.", "", "", Verdict.MATCH, "ROSNEFT TRADING S.A."),
    ("Wuhan Xiaoruizhi Science and Technology Company, Limited", "", "", Verdict.MATCH, "Wuhan Xiaoruizhi"),
    # The same people and companies as another list spells them.
    ("BAUDOIN NGARUYE WA MYAMURO", "", "", Verdict.MATCH, "NGARUYE, Baudoin"),  # UN
    ("Vodolatsky Viktor Petrovich", "", "", Verdict.MATCH, "VODOLATSKY, Victor Petrovich"),  # UK
    ("WASSERMAN Anatoly Alexandrovich", "", "", Verdict.MATCH, "WASSERMAN, Anatoly Aleksandrovich"),  # UK
    ("NOVIKOV Yan Valentinovych", "", "", Verdict.MATCH, "NOVIKOV, Yan Valentinovich"),  # UK
    ("PJSC SOVCOMBANK", "", "", Verdict.MATCH, "SOVCOMBANK"),  # UK
    ("MANSUR AL-SA’ADI", "", "", Verdict.MATCH, "AL-SA'ADI, Mansur"),  # UN
    ("Wuhan Xiaoruizhi Science and Technology Company Limited", "", "", Verdict.MATCH, "Wuhan Xiaoruizhi"),  # UK
    ("ZHAO Guangzong", "China", "", Verdict.MATCH, "Zhao Guangzong"),
    # Near spellings and parts of names: a person decides.
    ("Victor Vodolatsky", "", "", Verdict.POSSIBLE, "VODOLATSKY, Victor Petrovich"),
    ("Lashkar e Taiba", "", "", Verdict.POSSIBLE, "LASHKAR E-TAYYIBA"),
    ("Wuhan Xiaoruizhi", "", "", Verdict.POSSIBLE, "Wuhan Xiaoruizhi"),
    # A listed name whose date of birth differs: never a match, never dismissed.
    ("Ignace Murwanashyaka", "Rwanda", "1990", Verdict.POSSIBLE, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "Rwanda", "1963", Verdict.MATCH, "MURWANASHYAKA, Ignace"),
    # A full date is compared as one (OFAC, the UN and the UK give 1963-05-14): another day of the same year is no
    # agreement; digits only are read where the order of day and month cannot be in doubt, else the year alone.
    ("Ignace Murwanashyaka", "Rwanda", "1963-05-14", Verdict.MATCH, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "Rwanda", "1963-01-01", Verdict.POSSIBLE, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "", "14/05/1963", Verdict.MATCH, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "", "05/31/1963", Verdict.POSSIBLE, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "", "05/06/1963", Verdict.MATCH, "MURWANASHYAKA, Ignace"),
    ("Ignace Murwanashyaka", "", "1963-01-01 00:00:00", Verdict.POSSIBLE, "MURWANASHYAKA, Ignace"),
    # ... and where a list gives the year alone (NGARUYE: 1978 at one list, 1978-04-01 at others), or a rough date
    # spanning it (MUTHANA: 1994-04-29, and 1993 to 1995), the year agrees.
    ("Nasser Muthana", "", "1994-01-01", Verdict.MATCH, "MUTHANA, Nasser"),
    ("BAUDOIN NGARUYE WA MYAMURO", "", "1978-07-15", Verdict.MATCH, "NGARUYE, Baudoin"),
    # A date of birth one list on the card gives and another does not (THAER, Mansour: 1974-03-21 at OFAC, 1972 at
    # the UN and OFSI): it agrees. The card gave its first list's alone, so "the lists 1974-03-21" said 1972 differed.
    ("Mansour Thaer", "", "1972", Verdict.MATCH, "THAER, Mansour"),
    ("Mansour Thaer", "", "1980", Verdict.POSSIBLE, "THAER, Mansour"),
    # A date of birth OFAC gives only roughly ("DOB circa 1962"): a year within it agrees, one outside it is weighed.
    ("BUISIR, Ibrahim", "", "1962", Verdict.MATCH, "BUISIR, Ibrahim"),
    ("BUISIR, Ibrahim", "", "1975", Verdict.POSSIBLE, "BUISIR, Ibrahim"),
    # False friends: common names and well-known companies that share words with listed ones.
    ("Sichuan Airlines", "China", "", Verdict.NO_MATCH, None),
    ("Bank of China", "", "", Verdict.NO_MATCH, None),
    ("John Smith", "United Kingdom", "", Verdict.NO_MATCH, None),
    ("Maria Garcia", "Spain", "", Verdict.NO_MATCH, None),
    ("Apple Inc", "", "", Verdict.NO_MATCH, None),
    ("Wang Wei", "China", "", Verdict.NO_MATCH, None),
    ("Kim Min-jun", "South Korea", "", Verdict.NO_MATCH, None),
    ("Deutsche Bank AG", "Germany", "", Verdict.NO_MATCH, None),
    ("Toyota Motor Corporation", "Japan", "", Verdict.NO_MATCH, None),
    ("China Mobile", "", "", Verdict.NO_MATCH, None),
]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Country", "Date of birth"])
    for name, country, birth, *_ in rows:
        writer.writerow([name, country, birth])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def screened(real_kb):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    return screener.screen_upload(_csv(REAL_ROWS), "real.csv", Who(user="U1"))


@pytest.mark.parametrize("number", range(1, len(REAL_ROWS) + 1), ids=[r[0] for r in REAL_ROWS])
def test_each_real_row_gets_the_right_verdict_and_entity(screened, number):
    name, _, _, verdict, listed = REAL_ROWS[number - 1]
    row = screened.screening.rows[number - 1]
    assert row.row.name == name
    assert row.verdict is verdict, (row.verdict, [(h.caption, h.score) for h in row.hits])
    if listed is None:
        assert row.hits == ()
    else:
        assert listed.casefold() in row.hits[0].caption.casefold() or any(
            listed.casefold() in h.matched.casefold() for h in row.hits
        )
        assert row.hits[0].lists, "a hit names the lists the entity stands on"
        assert row.hits[0].why


def test_a_differing_date_of_birth_is_said_on_the_hit(screened):
    row = next(r for r in screened.screening.rows if r.row.birth == "1990")
    assert any("date of birth differs" in check for check in row.hits[0].checks)


def test_a_differing_date_of_birth_names_every_list_s(screened):
    checks = {r.row.birth: r.hits[0].checks for r in screened.screening.rows if r.row.name == "Mansour Thaer"}
    assert "date of birth differs: the row says 1980, the lists 1974-03-21; 1972" in checks["1980"]


def test_a_full_date_of_birth_is_compared_as_one(screened):
    checks = {r.row.birth: r.hits[0].checks for r in screened.screening.rows if r.row.name == "Ignace Murwanashyaka"}
    assert "date of birth agrees (1963-05-14)" in checks["1963-05-14"]
    assert "date of birth agrees (1963-05-14)" in checks["14/05/1963"]
    assert "date of birth differs: the row says 1963-01-01, the lists 1963-05-14" in checks["1963-01-01"]
    assert "date of birth differs: the row says 05/31/1963, the lists 1963-05-14" in checks["05/31/1963"]
    assert "year of birth agrees (1963)" in checks["05/06/1963"]
    ngaruye = next(r for r in screened.screening.rows if r.row.birth == "1978-07-15")
    assert "year of birth agrees (1978)" in ngaruye.hits[0].checks


def test_a_date_of_birth_given_roughly_is_weighed_as_the_list_gives_it(screened):
    checks = {r.row.birth: r.hits[0].checks for r in screened.screening.rows if r.row.name == "BUISIR, Ibrahim"}
    assert "year of birth within the lists' approximate date (1962; circa 1962)" in checks["1962"]
    assert "date of birth differs: the row says 1975, the lists circa 1962" in checks["1975"]


def test_the_summary_counts_every_row_and_names_the_list_editions(screened):
    reply = screened.reply
    counts = screened.screening.counts()
    assert reply.title.startswith(f"Screened {len(REAL_ROWS)} rows")
    assert counts[Verdict.NO_MATCH] == sum(1 for r in REAL_ROWS if r[3] is Verdict.NO_MATCH)
    lists = next(f.value for f in reply.facts if f.label == "Lists")
    assert "ofac-sdn" in lists and "as of 2024-05-03" in lists


def test_the_result_files_hold_every_row_as_csv_and_a_readable_page(screened):
    csv_name, html_name = sorted(screened.files, key=lambda n: not n.endswith(".csv"))
    table = list(csv.DictReader(io.StringIO(screened.files[csv_name].decode("utf-8-sig"))))
    # Each row by its number in the file: the header is row 1.
    assert [int(r["row"]) for r in table] == list(range(2, len(REAL_ROWS) + 2))
    page = screened.files[html_name].decode()
    assert page.startswith("<!doctype html>") and "KAMNEV, Georgy Petrovich" in page


def test_a_formula_in_an_input_cell_is_written_back_inert(real_kb):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    outcome = screener.screen_upload(b'name\n"=HYPERLINK(""http://x"",""y"")"\n@SUM(A1)\n', "evil.csv", Who())
    csv_name = next(n for n in outcome.files if n.endswith(".csv"))
    cells = [r["name"] for r in csv.DictReader(io.StringIO(outcome.files[csv_name].decode("utf-8-sig")))]
    assert cells == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]
    page = next(v for n, v in outcome.files.items() if n.endswith(".html")).decode()
    assert "=HYPERLINK(&quot;http://x&quot;" in page


def test_duplicate_rows_are_screened_once_and_said(real_kb):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    outcome = screener.screen_pasted("KAMNEV, Georgy Petrovich\nkamnev,  georgy petrovich\nBank of China", Who())
    rows = outcome.screening.rows
    assert rows[1].duplicate_of == 1 and rows[1].verdict is Verdict.MATCH
    assert any(f.label == "Duplicates" for f in outcome.reply.facts)


def test_pasted_lines_and_a_piped_file_number_rows_alike_blank_lines_counted(real_kb, tmp_path):
    # Pasted text lost its leading blank lines before its lines were numbered: `screen lead.txt` said Row 5 where
    # `screen - < lead.txt` said Row 3, for the same line.
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    text = "\n\nJohn Smith\n\nKAMNEV, Georgy Petrovich\n"
    pasted = screener.screen_pasted(text, Who())
    uploaded = screener.screen_upload(text.encode(), "lead.txt", Who())
    for outcome in (pasted, uploaded):
        assert [(r.row.number, r.row.name) for r in outcome.screening.rows] == [
            (3, "John Smith"),
            (5, "KAMNEV, Georgy Petrovich"),
        ]


def test_rows_over_the_limit_are_counted_in_the_summary(real_kb):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    data = ("name\n" + "\n".join(f"Company number {n}" for n in range(30))).encode()
    outcome = screener.screen_upload(data, "big.csv", Who(), limit=10)
    assert outcome.reply.title.startswith("Screened 10 rows of 30")
    # Where the rest starts, by the file's own row number (the header is row 1): rows 2 to 11 were screened.
    said = next(f.value for f in outcome.reply.facts if f.label == "Not screened")
    assert "20 rows after the first 10 (the limit), from row 12 on" in said


def test_a_bot_without_a_record_says_so(real_kb):
    outcome = Screener(lambda: real_kb, clock=lambda: TODAY).screen_pasted("Bank of China", Who())
    assert "keeps no screening record" in outcome.reply.text


def test_the_benchmark_rows_are_distinct_and_in_the_stated_shares(real_kb):
    from bench.screening import bench_rows

    rows = bench_rows(real_kb, 1000)
    assert len({name for _, name in rows}) == 1000
    kinds = Counter(kind for kind, _ in rows)
    assert kinds == {"listed": 400, "other list's spelling": 300, "false friend": 300}


@pytest.mark.parametrize(
    "data",
    [
        b"Account No,Beneficiary\n12345,Vladimir Putin\n12346,Kim Jong Un\n",
        b"Ref,Payee Details\n12345,Vladimir Putin\n12346,Kim Jong Un\n",
        b"12345,Vladimir Putin\n12346,Kim Jong Un\n",
        b"PUTIN, Vladimir\nKIM, Jong Un\n",
    ],
    ids=["beneficiary-header", "unknown-header", "no-header", "surname-comma-given"],
)
def test_listed_names_in_an_unusual_csv_are_never_no_match(real_kb, data):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    rows = screener.screen_upload(data, "payments.csv", Who()).screening.rows
    assert len(rows) == 2
    assert all(row.verdict is not Verdict.NO_MATCH for row in rows), [(r.row.name, r.verdict) for r in rows]
    assert all(row.row.country is None for row in rows)


def test_a_listed_name_in_utf8_is_found_beside_a_row_in_windows_1252(real_kb):
    # The whole file had been read as Windows-1252 for the one row: i-Soon's Chinese name garbled, "no match".
    data = "name,country\n四川安洵信息技术有限公司,China\n".encode() + "Café Lumière,France\n".encode("cp1252")
    rows = Screener(lambda: real_kb, clock=lambda: TODAY).screen_upload(data, "c.csv", Who()).screening.rows
    assert [(r.row.name, r.verdict) for r in rows] == [
        ("四川安洵信息技术有限公司", Verdict.MATCH),
        ("Café Lumière", Verdict.NO_MATCH),
    ]


@pytest.mark.parametrize(
    ("encoding", "name"), [("cp1251", "Путин Владимир Владимирович"), ("gbk", "四川安洵信息技术有限公司")]
)
def test_a_listed_name_in_a_cyrillic_or_chinese_windows_file_is_found(real_kb, encoding, name):
    # Read as Western European, both were garbled and "no match".
    data = f"name,country\n{name},XX\n".encode(encoding)
    rows = Screener(lambda: real_kb, clock=lambda: TODAY).screen_upload(data, "c.csv", Who()).screening.rows
    assert [(r.row.name, r.verdict is Verdict.NO_MATCH) for r in rows] == [(name, False)]


def test_a_row_whose_country_is_not_recognised_says_so_and_is_screened_on_its_name(real_kb):
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    rows = screener.screen_upload(b"name,country\nMuller Bakery GmbH,Jong Un\n", "c.csv", Who()).screening.rows
    assert rows[0].verdict is Verdict.NO_MATCH
    assert "country not recognised: “Jong Un”" in rows[0].note


def test_threat_catalogue_names_never_crowd_a_listed_entity_out(real_kb):
    # "Water" is the first word of many MISP and ATT&CK threat names, which come before the OFAC-listed company.
    crowd = [m for m in real_kb.lookup("Water").matches if m.score >= MATCH_THRESHOLD]
    assert len(crowd) >= 5 and not any(real_kb.sanctions_of(m.entity) for m in crowd)
    screener = Screener(lambda: real_kb, clock=lambda: TODAY)
    row = screener.screen_upload(b"name\nWater\n", "w.csv", Who()).screening.rows[0]
    assert row.verdict is Verdict.POSSIBLE
    assert any("DUBAI WATER FRONT" in hit.caption.upper() for hit in row.hits)


ROUGH_ROWS = [
    ("1962", Verdict.MATCH, "year of birth within the lists' approximate date (1962; 1962-03-21 to 1962-04-20)"),
    ("1962-1965", Verdict.MATCH, "year of birth within the lists' approximate date (1962; 1962-03-21 to 1962-04-20)"),
    (
        "1800",
        Verdict.POSSIBLE,
        "date of birth differs: the row says 1800, the lists 1962-03-21 to 1962-04-20 (a range)",
    ),
    (
        "1963",
        Verdict.POSSIBLE,
        "date of birth differs: the row says 1963, the lists 1962-03-21 to 1962-04-20 (a range)",
    ),
    # No year of the centuries a birth falls in, or none in ASCII digits: not compared, said so.
    *((odd, Verdict.MATCH, f"date of birth “{odd}” not read, not compared") for odd in ("0000", "19620", "2100")),
    ("\u0661\u0669\u0666\u0662", Verdict.MATCH, "date of birth “\u0661\u0669\u0666\u0662” not read, not compared"),
]


@pytest.mark.parametrize(("birth", "verdict", "check"), ROUGH_ROWS, ids=[r[0][:12] for r in ROUGH_ROWS])
def test_odd_years_against_a_date_given_as_a_range_raise_nothing_and_dismiss_nothing(real_kb, birth, verdict, check):
    # OFAC SDN 39439 "SAJEDINIA, Hossein": "DOB 21 Mar 1962 to 20 Apr 1962" (an Iranian month), no exact date.
    row = screen_row(real_kb, InputRow(1, "SAJEDINIA, Hossein", None, birth), TODAY.date())
    assert row.hits[0].caption == "SAJEDINIA, Hossein"
    assert (row.verdict, row.hits[0].checks) == (verdict, (check,))


def test_a_row_holding_a_company_and_a_person_is_screened_by_both(real_kb):
    # "Company, First name, Last name": the row was screened by the company alone and read "no match", its contact
    # a listed person.
    row = InputRow(2, "Acme Trading Ltd", None, None, other_name="Guangzong ZHAO")
    screened = screen_row(real_kb, row, TODAY.date())
    assert screened.verdict is Verdict.MATCH
    assert [h.caption for h in screened.hits] == ["Zhao Guangzong"]
    assert row.shown == "Acme Trading Ltd / Guangzong ZHAO"
    assert screen_row(real_kb, InputRow(3, "Acme Trading Ltd"), TODAY.date()).verdict is Verdict.NO_MATCH


def test_the_hit_that_made_a_rows_verdict_comes_first_whichever_name_gave_it(real_kb):
    # "Bank Rossiya" beside its contact "Ahmed Ali": the contact's five possible hits came first and the match was cut.
    screened = screen_row(real_kb, InputRow(2, "Bank Rossiya", other_name="Ahmed Ali"), TODAY.date())
    assert screened.verdict is Verdict.MATCH
    assert "ROSSIYA" in screened.hits[0].caption.upper()
