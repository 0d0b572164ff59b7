"""Screening input: pasted lines, CSV and XLSX, and every kind of bad input answered in a sentence, losing nothing."""

import io

import openpyxl
import pytest

from bot.errors import UsageError
from bot.screening.report import neutralise
from bot.screening.rows import MAX_FILE_BYTES, has_csv_header, read_file, read_pasted


def test_pasted_lines_take_a_country_and_a_date_of_birth_after_a_semicolon_tab_or_bar():
    read = read_pasted("ZHAO, Guangzong; China; 1985-05-29\nNi Gaobin\tCN\nWuhan Xiaoruizhi | China", limit=10)
    assert [(r.name, r.country, r.birth) for r in read.rows] == [
        ("ZHAO, Guangzong", "China", "1985-05-29"),
        ("Ni Gaobin", "CN", None),
        ("Wuhan Xiaoruizhi", "China", None),
    ]


def test_a_csv_with_a_header_finds_its_columns_in_any_order():
    data = b'Country,Customer Name,DOB\nChina,"ZHAO, Guangzong",1985\n'
    read = read_file(data, "customers.csv", limit=10)
    assert [(r.name, r.country, r.birth) for r in read.rows] == [("ZHAO, Guangzong", "China", "1985")]


def test_a_semicolon_csv_from_a_european_excel_is_read():
    read = read_file("name;country\nSberbank;Russia\nMüller GmbH;Germany\n".encode(), "list.csv", limit=10)
    assert [r.name for r in read.rows] == ["Sberbank", "Müller GmbH"]


def test_a_file_in_windows_1252_is_read_and_the_reply_says_so():
    read = read_file("name\nMüller GmbH\nCafé Zürich\n".encode("cp1252"), "list.csv", limit=10)
    assert [r.name for r in read.rows] == ["Müller GmbH", "Café Zürich"]
    assert any("Windows-1252" in note for note in read.notes)


def test_a_utf8_file_with_a_line_in_windows_1252_reads_every_other_line_as_utf8_and_names_that_line():
    # One row typed in on Windows had the whole file read as Windows-1252: 四川安洵 garbled, and found nothing.
    data = "name,country\n四川安洵信息技术有限公司,China\n".encode() + "Café Lumière,France\n".encode("cp1252")
    for marked in (b"", b"\xef\xbb\xbf"):
        read = read_file(marked + data + "Ни Гаобинь,China\n".encode(), "list.csv", limit=10)
        assert [r.name for r in read.rows] == ["四川安洵信息技术有限公司", "Café Lumière", "Ни Гаобинь"]
        assert read.notes == [
            "Line 3 is not UTF-8, as the rest of the file is, and read as Windows-1252 (Western European): check the "
            "names of that line in the results, or save the file as CSV UTF-8 and screen it again."
        ]
    # Many such lines: the first ten named, the rest counted.
    many = (
        b"name\n"
        + b"".join(f"Caf\xe9 {n}\n".encode("latin-1") for n in range(12))
        + "四川安洵信息技术有限公司\n".encode() * 3
    )
    note = read_file(many, "l.csv", limit=20).notes[0]
    assert note.startswith("Lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more are not UTF-8")


def test_lines_of_a_code_page_that_read_as_utf8_by_chance_are_read_in_the_file_s_code_page():
    # 郑伟 in GBK is UTF-8 too ("֣ΰ"), and "JOSÉ’S" in Windows-1252 ("JOSɒS"): the line had been read as UTF-8 and
    # the rest of the file as Windows-1252, i-Soon's Chinese name garbled and "no match".
    for encoding, names in (
        ("gbk", ["四川安洵信息技术有限公司", "郑伟", "谢强", "袁英"]),
        ("cp1252", ["JOSÉ’S TACOS", "Müller GmbH"]),
    ):
        data = ("name,country\n" + "".join(f"{name},XX\n" for name in names)).encode(encoding)
        read = read_file(data, "list.csv", limit=10)
        assert [r.name for r in read.rows] == names
        assert read.notes[0].startswith("The file is not UTF-8; it was read as ")


@pytest.mark.parametrize("name", ["王娜", "李军", "黄华", "王强"])
def test_a_short_chinese_name_in_gbk_is_read_as_chinese_or_refused_never_as_another_script(name):
    # They had been read as Arabic ("حُؤب"), Cyrillic ("Аоѕь") or Western European ("»Æ»ª"), each "no match".
    try:
        read = read_file(f"name,country\n{name},China\n".encode("gbk"), "list.csv", limit=10)
    except UsageError as refused:
        assert "I cannot tell which alphabet" in str(refused)
    else:
        assert [r.name for r in read.rows] == [name]


def test_a_file_with_no_character_of_utf8_is_read_as_windows_1252_throughout():
    # No line reads as UTF-8 outside ASCII: the file is Windows-1252 throughout, said once for the file.
    read = read_file("name\nMüller GmbH\nCafé\n".encode("cp1252"), "list.csv", limit=10)
    assert read.notes[0].startswith("The file is not UTF-8; it was read as Windows-1252")


@pytest.mark.parametrize(
    ("encoding", "names", "read_as"),
    [
        ("cp1251", ["Путин Владимир Владимирович", "Акционерное общество «Альфа-Банк»"], "Windows-1251 (Cyrillic)"),
        ("cp1251", ["ПУТИН ВЛАДИМИР ВЛАДИМИРОВИЧ", "ШОЙГУ СЕРГЕЙ"], "Windows-1251 (Cyrillic)"),
        ("cp1251", ["ООО «Иванов»"], "Windows-1251 (Cyrillic)"),
        ("gbk", ["四川安洵信息技术有限公司", "北京永信至诚科技股份有限公司"], "GBK (Chinese)"),
        ("cp1256", ["قاسم سليماني", "عبد الله محمد"], "Windows-1256 (Arabic)"),
        ("cp1255", ["איתמר בן גביר"], "Windows-1255 (Hebrew)"),
        ("cp1250", ["Ratko Mladić", "Jiří Dvořák"], "Windows-1250 (Central European)"),
        ("cp1250", ["Łukasz Białystok", "Štefan Ťažký"], "Windows-1250 (Central European)"),
    ],
    ids=["russian", "russian-capitals", "russian-quoted", "chinese", "arabic", "hebrew", "serbian-czech", "polish"],
)
def test_a_file_in_the_windows_code_page_of_another_script_is_read_in_it(encoding, names, read_as):
    # Read as Western European, each of these names was garbled ("ËÄ´¨°²ä") and found nothing.
    data = ("name,country\n" + "".join(f"{name},XX\n" for name in names)).encode(encoding)
    read = read_file(data, "list.csv", limit=10)
    assert [r.name for r in read.rows] == names
    assert read.notes == [
        f"The file is not UTF-8; it was read as {read_as}, as its words are written. If names look wrong in the "
        "results, save the file as CSV UTF-8 and screen it again."
    ]


def test_arabic_among_french_names_in_windows_1256_is_read_as_both_are_written():
    # Windows-1256 writes French's accented letters where Windows-1252 does: read as Western European, حزب الله was
    # "ÍÒÈ Çááå" and the French names looked right.
    names = ["Benali Hélène", "حزب الله", "Lefèvre François", "Quéméner Gaëlle"]
    read = read_file(
        ("name,country\n" + "".join(f"{name},DZ\n" for name in names)).encode("cp1256"), "list.csv", limit=10
    )
    assert [r.name for r in read.rows] == names
    assert "Windows-1256 (Arabic)" in read.notes[0]


@pytest.mark.parametrize(
    "name",
    ["JÉRÔME GÉDÉON", "Þórður Guðmundsson", "Ndélé", "ESTÊVÃO", "Ærø Ålborg", "«Société» Générale", "¿Qué? Müller¹"],
)
def test_western_european_names_however_accented_are_read_as_windows_1252(name):
    read = read_file(f"{name}\n".encode("cp1252"), "list.csv", limit=10)
    assert [r.name for r in read.rows] == [name]
    assert "Windows-1252 (Western European)" in read.notes[0]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("shift_jis", "国際刑事警察機構\n"),
        ("shift_jis", "田中 花子\n"),
        ("big5", "name,email,country\n江輝明,info@example.hk,HK\n"),
        ("cp949", "김정은 조선노동당\n"),
        ("cp1251", "иванов иван\n"),
    ],
    ids=["japanese", "japanese-read-as-korean", "traditional-chinese", "korean-or-chinese", "russian-small-or-hebrew"],
)
def test_a_file_whose_alphabet_cannot_be_told_is_refused_rather_than_read_garbled(encoding, text):
    with pytest.raises(UsageError, match=r"I cannot tell which alphabet its names are written in .*CSV UTF-8"):
        read_file(text.encode(encoding), "list.csv", limit=10)


def test_a_utf16_file_from_excel_is_read():
    read = read_file("name\tcountry\nНи Гаобинь\tChina\n".encode("utf-16"), "list.csv", limit=10)
    assert [r.name for r in read.rows] == ["Ни Гаобинь"]


def test_an_empty_file_says_it_is_empty():
    with pytest.raises(UsageError, match="empty"):
        read_file(b"   \n", "empty.csv", limit=10)


def test_a_header_without_rows_says_there_are_no_names():
    with pytest.raises(UsageError, match="no rows"):
        read_file(b"name,country\n", "header.csv", limit=10)


def test_an_enormous_file_is_refused_unread_with_its_size():
    # Its size and the limit in bytes: "20.0 MB; files here are under 20 MB" read as a contradiction.
    too_big = MAX_FILE_BYTES + 1
    with pytest.raises(UsageError, match=f"is {too_big:,} bytes; files here may be {MAX_FILE_BYTES:,} bytes at most"):
        read_file(b"a" * too_big, "huge.csv", limit=10)
    # The command line gives a limit of its own, and is never told to use the command line.
    with pytest.raises(UsageError) as refused:
        read_file(b"a" * 2048, "huge.csv", limit=10, max_bytes=1024)
    assert "command line" not in str(refused.value)
    # A file over one limit is read whole under a larger one (the command line's, ten times a chat upload's).
    rows = b"name\n" + b"Customer one\n" * 400
    with pytest.raises(UsageError):
        read_file(rows, "big.csv", limit=10, max_bytes=4096)
    assert len(read_file(rows, "big.csv", limit=10, max_bytes=8192).rows) == 10


def test_a_binary_file_is_refused_politely():
    with pytest.raises(UsageError, match="PDF"):
        read_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "names.csv", limit=10)
    with pytest.raises(UsageError, match="not text"):
        read_file(b"\x00\x01\x02\xff\xfe\x00\xd8\x00\x00", "names.csv", limit=10)


def test_rows_over_the_limit_are_counted_not_lost():
    data = ("name\n" + "\n".join(f"Company {n}" for n in range(2500))).encode()
    read = read_file(data, "big.csv", limit=1000)
    assert len(read.rows) == 1000
    assert read.total == 2500
    assert read.over_limit == 1500


def test_rows_with_only_a_country_are_set_aside_and_named():
    read = read_file(b"name,country\n,China\nSberbank,Russia\n", "list.csv", limit=10)
    assert [r.name for r in read.rows] == ["Sberbank"]
    assert read.set_aside == [(2, "only a country, no name")]


def test_a_header_with_a_country_but_no_name_column_says_what_to_call_it():
    with pytest.raises(UsageError, match="no name column"):
        read_file(b"country,dob\nChina,1985\n", "list.csv", limit=10)


def test_a_paste_with_no_names_says_how_to_paste():
    with pytest.raises(UsageError, match="one name a line"):
        read_pasted("\n \n", limit=10)


def test_an_xlsx_workbook_is_read_from_its_first_sheet_with_dates_as_days():
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Country", "Date of birth"])
    sheet.append(["ZHAO, Guangzong", "China", dt.datetime(1985, 5, 29)])
    book.create_sheet("Other")
    out = io.BytesIO()
    book.save(out)
    read = read_file(out.getvalue(), "customers.xlsx", limit=10)
    assert [(r.name, r.country, r.birth) for r in read.rows] == [("ZHAO, Guangzong", "China", "1985-05-29")]
    assert any("first sheet" in note for note in read.notes)


def test_a_broken_xlsx_says_it_cannot_be_read():
    with pytest.raises(UsageError, match="XLSX"):
        read_file(b"PK\x03\x04 not really a zip", "customers.xlsx", limit=10)


def test_formula_looking_cells_are_neutralised_when_written_back():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "=+-@":
        assert neutralise(f"{start}1+1").startswith("'")
    assert neutralise("Sberbank") == "Sberbank"


def test_an_over_long_name_is_set_aside_not_screened():
    read = read_pasted("x" * 300 + "\nSberbank", limit=10)
    assert [r.name for r in read.rows] == ["Sberbank"]
    assert "300 characters" in read.set_aside[0][1]


def test_a_header_no_word_names_is_read_as_a_header_and_the_column_of_words_as_names():
    read = read_file(b"Ref,Payee Details\n12345,Vladimir Putin\n12346,Kim Jong Un\n", "pay.csv", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("Vladimir Putin", None), ("Kim Jong Un", None)]
    assert any("“Payee Details”" in note for note in read.notes)


def test_beneficiary_and_client_headers_are_name_columns():
    for header in ("Beneficiary", "Client Name", "Account Name", "Vendor"):
        read = read_file(f"Account No,{header}\n12345,Kim Jong Un\n".encode(), "pay.csv", limit=10)
        assert [r.name for r in read.rows] == ["Kim Jong Un"], header


def test_a_column_of_numbers_is_never_screened_as_names():
    read = read_file(b"12345,Vladimir Putin\n12346,Kim Jong Un\n", "pay.csv", limit=10)
    assert [r.name for r in read.rows] == ["Vladimir Putin", "Kim Jong Un"]
    with pytest.raises(UsageError, match="columns “Ref”, “Amount” hold numbers"):
        read_file(b"Ref,Amount\n12345,100\n12346,200\n", "pay.csv", limit=10)


def test_surname_comma_given_lines_are_one_name_unless_the_second_cell_is_a_country():
    read = read_file(b"PUTIN, Vladimir\nKIM, Jong Un\n", "names.csv", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("PUTIN, Vladimir", None), ("KIM, Jong Un", None)]
    read = read_file(b"Sberbank, Russia\nPUTIN, Vladimir\n", "names.csv", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("Sberbank", "Russia"), ("PUTIN, Vladimir", None)]
    read = read_pasted("Ni Gaobin; 1975-03-10\nZHAO, Guangzong; Jong", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("Ni Gaobin", "1975-03-10"), ("ZHAO, Guangzong, Jong", None)]


def test_a_header_naming_a_country_but_no_name_column_reads_the_column_of_words():
    read = read_file(b"Account No,Payee Details,Country\n12345,Kim Jong Un,North Korea\n", "pay.csv", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("Kim Jong Un", "North Korea")]
    assert any("“Payee Details”" in note for note in read.notes)


def test_a_header_in_words_of_its_own_is_read_by_the_word_name_not_screened():
    # Before: "Supplier legal name, Town" was screened as a name, and each row's town joined to the name as if it
    # were "SURNAME, Given" ("Zhou Shuai, Shanghai").
    data = b"Supplier legal name,Town,Country of registration\nZhou Shuai,Shanghai,China\nAcme Widgets Ltd,Leeds,UK\n"
    read = read_file(data, "suppliers.csv", limit=10)
    assert [(r.number, r.name, r.country) for r in read.rows] == [
        (2, "Zhou Shuai", "China"),
        (3, "Acme Widgets Ltd", "UK"),
    ]


def test_a_header_by_word_never_reads_one_column_as_both_country_and_birth():
    # "Country of birth" holds a country word and a birth word: it was taken as the country column and as the birth
    # column, so each row's birth read "Russia" and the column of dates was never read.
    data = b"Customer legal name,Country of birth,Birth date (dd/mm/yyyy)\nIvan Petrov,Russia,01/02/1970\n"
    read = read_file(data, "customers.csv", limit=10)
    assert [(r.name, r.country, r.birth) for r in read.rows] == [("Ivan Petrov", "Russia", "01/02/1970")]


def test_a_row_of_names_holding_a_header_word_is_still_a_name():
    # "Country Garden Holdings" is a company, not a "Country" column: only the word "name" makes a header of words.
    read = read_file(b"Country Garden Holdings,China\nSberbank,Russia\n", "list.csv", limit=10)
    assert [(r.name, r.country) for r in read.rows] == [("Country Garden Holdings", "China"), ("Sberbank", "Russia")]


def test_a_first_row_no_rule_knows_is_screened_and_the_reader_told():
    read = read_file(b"Vendor legal entity,City\nZhou Shuai,Shanghai\n", "vendors.csv", limit=10)
    assert read.rows[0].name == "Vendor legal entity, City"
    assert any("“Vendor legal entity, City”, was screened as a name" in note for note in read.notes)
    # Pasted lines have no header to miss: no such note.
    assert not read_pasted("Zhou Shuai; China\nNi Gaobin", limit=10).notes


def test_every_row_of_an_xlsx_is_read_whatever_size_its_sheet_states():
    # Writers other than Excel state a sheet's size (<dimension ref>) wrong: openpyxl's read-only sheet ended there,
    # and 36 of 40 listed names were left unscreened, unsaid.
    import re
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["Name"])
    for number in range(40):
        book.active.append([f"Customer {number}"])
    out = io.BytesIO()
    book.save(out)
    stale = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A5"', data)
                assert count == 1
            target.writestr(item, data)
    read = read_file(stale.getvalue(), "customers.xlsx", limit=100)
    assert len(read.rows) == 40


def test_a_doubled_quote_after_the_sniffed_sample_stays_in_its_cell():
    # The sniffer reads the first 8 KB: with no doubled quote there it read '"JSC ""Rostec"", Moscow",Russia' as
    # three cells, the name cut and the country in the date of birth.
    rows = "".join(f'"Customer {n}, Ltd",Russia\n' for n in range(400))
    data = f'Name,Country\n{rows}"JSC ""Rostec"", Moscow",Russia\n'.encode()
    assert len(data) > 8192
    read = read_file(data, "customers.csv", limit=1000)
    assert (read.rows[-1].name, read.rows[-1].country) == ('JSC "Rostec", Moscow', "Russia")


def _xlsx_with_a_gap() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "name"
    book.active["A2"] = "Zhao Guangzong"
    book.active["A5"] = "Wuhan Xiaoruizhi"  # rows 3 and 4 never written: no row element in the sheet at all
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "numbers"),
    [
        (b"name,country\nZhao Guangzong,China\n\n,\nWuhan Xiaoruizhi,China\n", "list.csv", [2, 5]),
        (b"Zhao Guangzong\n\n\nWuhan Xiaoruizhi\n", "list.txt", [1, 4]),
        (_xlsx_with_a_gap(), "list.xlsx", [2, 5]),
    ],
    ids=["csv", "txt", "xlsx"],
)
def test_a_row_is_numbered_as_the_file_numbers_it_blank_rows_counted(data, filename, numbers):
    # Blank rows had been left out of the count: the row after them was reported as the row above it, and an analyst
    # checking "Row 2" in the spreadsheet found another customer. The header is row 1, as a spreadsheet shows it.
    read = read_file(data, filename, limit=10)
    assert [(r.number, r.name) for r in read.rows] == list(
        zip(numbers, ["Zhao Guangzong", "Wuhan Xiaoruizhi"], strict=True)
    )
    assert read.total == 2


def test_a_pasted_line_is_numbered_as_pasted_blank_lines_counted():
    read = read_pasted("Zhao Guangzong\n\nWuhan Xiaoruizhi; China", limit=10)
    assert [(r.number, r.name, r.country) for r in read.rows] == [
        (1, "Zhao Guangzong", None),
        (3, "Wuhan Xiaoruizhi", "China"),
    ]


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (b"First name,Last name,Date of birth\nGuangzong,Zhao,1985\n", ["Guangzong Zhao"]),
        (b"Name;Surname;Nationality\nGuangzong;Zhao;China\n", ["Guangzong Zhao"]),
        (b"surname,middle_name,given_name\nZhao,,Guangzong\n", ["Guangzong Zhao"]),
        (b"Given,Family,DOB\nRafael,CARO QUINTERO,1952\n", ["Rafael CARO QUINTERO"]),
        (b"First name(s),Last name(s),Nationality\nRafael,CARO QUINTERO,Mexico\n", ["Rafael CARO QUINTERO"]),
        (b"Surname,Other names,Date of birth\nCARO QUINTERO,Rafael,1952\n", ["Rafael CARO QUINTERO"]),
        (b"Vorname,Nachname,Geburtsdatum\nRafael,Caro Quintero,1952\n", ["Rafael Caro Quintero"]),
        ("Prénom;Nom\nRafael;CARO QUINTERO\n".encode(), ["Rafael CARO QUINTERO"]),
        # A second surname is a family name too: "Rafael Caro" alone was only a possible match.
        (b"First name,Last name,Second surname\nRafael,Caro,Quintero\n", ["Rafael Caro Quintero"]),
        # A full name under "Name" beside its surname is not doubled ("ZHAO Guangzong Zhao" scored 0.78: no match).
        (b"Name,Surname,Country\nZHAO Guangzong,ZHAO,China\n", ["ZHAO Guangzong"]),
        # A company or a whole name beside the parts: each row screened by what it holds, both where it holds both.
        (
            b"Company,First name,Last name,Country\nIntegrity Technology Group,John,Smith,China\n"
            b",Guangzong,Zhao,China\n",
            ["Integrity Technology Group / John Smith", "Guangzong Zhao"],
        ),
        (
            b"Name,First name,Last name\nIntegrity Technology Group,,\n,Guangzong,Zhao\n",
            ["Integrity Technology Group", "Guangzong Zhao"],
        ),
        # Bare "First" and "Last" head dates as often as names: "Name" is read.
        (b"Name,First,Last\nZHAO Guangzong,2023-01-04,2024-05-01\n", ["ZHAO Guangzong"]),
        # A part column of numbers is no part, nor is a whole-name column of numbers a name.
        (b"Name,Surname\nZHAO Guangzong,1985\nJohn Smith,1970\n", ["ZHAO Guangzong", "John Smith"]),
        (
            b"Customer,First name,Last name\n10231,Guangzong,Zhao\n10232,Rafael,CARO QUINTERO\n",
            ["Guangzong Zhao", "Rafael CARO QUINTERO"],
        ),
        # German "Vorname", "Name": the bare Name is the family name.
        (b"Vorname;Name;Land\nGuangzong;Zhao;China\n", ["Guangzong Zhao"]),
        # A company's name headed in another language beside the parts.
        ("Raison sociale;Prénom;Nom\nWuhan Xiaoruizhi;Jean;Dupont\n".encode(), ["Wuhan Xiaoruizhi / Jean Dupont"]),
        (b"Forename(s),Surname(s)\nGuangzong,Zhao\n", ["Guangzong Zhao"]),
        # A name that repeats a word keeps it (LAZCANO LAZCANO, Heriberto; "Ismael Ismael").
        (b"Nombre,Primer apellido,Segundo apellido\nHeriberto,Lazcano,Lazcano\n", ["Heriberto Lazcano Lazcano"]),
        (b"First name,Last name\nIsmael,Ismael\n", ["Ismael Ismael"]),
    ],
)
def test_a_name_in_parts_is_screened_whole_and_a_company_beside_it_first(data, names):
    # A file of first and last names had its first-name column screened alone: "Guangzong" is no listed person; a
    # Company column beside the parts had then been left unscreened.
    read = read_file(data, "people.csv", limit=10)
    assert [r.shown for r in read.rows] == names
    assert not read.set_aside


def test_the_note_says_which_columns_a_name_was_read_from():
    parts = read_file(b"First name,Last name\nGuangzong,Zhao\n", "people.csv", limit=10)
    assert "Each name was read from the columns “First name” and “Last name”, joined." in parts.notes
    mixed = read_file(b"Company,First name,Last name\nAcme,John,Smith\n", "people.csv", limit=10)
    assert (
        "Each row was screened by the column “Company” and by the columns “First name” and “Last name”, joined: a row "
        "holding both is screened by both names, its verdict the graver." in mixed.notes
    )
    assert [(r.name, r.other_name) for r in mixed.rows] == [("Acme", "John Smith")]


def test_utf16_without_its_mark_is_read_as_utf16_and_numbered_as_written():
    # Latin text in UTF-16 is valid UTF-8 too (NUL is a character): read so, each CRLF counted twice, row 4 was "Row 7".
    data = "name,country\r\nJohn Smith,UK\r\n\r\nZHAO Guangzong,China\r\n".encode("utf-16-le")
    read = read_file(data, "u16.csv", limit=10)
    assert [(r.number, r.name) for r in read.rows] == [(2, "John Smith"), (4, "ZHAO Guangzong")]
    assert any("read as UTF-16-LE" in note for note in read.notes)
    # Cyrillic in UTF-16 holds NULs only in its spaces and line ends, and reads as UTF-8 too, as control characters.
    cyrillic = "Имя\r\nКАМНЕВ Георгий Петрович\r\nЖИРОВ Вячеслав\r\n".encode("utf-16-le")
    assert [(r.number, r.name) for r in read_file(cyrillic, "x.txt", limit=10).rows] == [
        (1, "Имя"),
        (2, "КАМНЕВ Георгий Петрович"),
        (3, "ЖИРОВ Вячеслав"),
    ]
    # A stray NUL in UTF-8 text leaves it UTF-8.
    stray = read_file(b"name\nZHAO Guangzong\x00\nJohn Smith\n", "nul.csv", limit=10)
    assert [r.name for r in stray.rows][1] == "John Smith"


@pytest.mark.parametrize(
    "data",
    [
        b'name,country\n"Acme Ltd,UK\nZHAO Guangzong,China\nBob Jones,US\n',
        # One column: names never run over lines.
        b'name\nAcme Ltd\n"Blue Widgets\nZHAO Guangzong\nRafael CARO QUINTERO\n',
        # Rows narrower than the header (their trailing cells left out).
        b'name,country,dob\nAcme Ltd,UK\n"Blue Widgets,US\nZHAO Guangzong,China\n',
        # A row swallowed holds a quoted cell of its own.
        b'Name,Country,DOB\n"Acme Ltd,UK,2001\n"LAZCANO LAZCANO, Heriberto",Mexico,1974\nZHAO Guangzong,China,\n',
    ],
    ids=["closed-later", "one-column", "short-rows", "quoted-cell-swallowed"],
)
def test_every_stray_quote_that_swallows_rows_is_refused(data):
    with pytest.raises(UsageError, match="opens a quote mark that runs on over"):
        read_file(data, "list.csv", limit=10)


def test_a_stray_quote_that_swallows_rows_is_refused_naming_the_row():
    # The rows after it became one cell: ZHAO Guangzong was never screened and the report said "no match".
    data = b'name,country\n"Acme Ltd,UK\nZHAO Guangzong,China\nBob Jones,US\n'
    with pytest.raises(UsageError, match="Row 2 opens a quote mark that runs on over 2 more lines"):
        read_file(data, "list.csv", limit=10)
    # A cell written over two lines, properly quoted (an address, commas in it), is read as one row.
    address = b'name,address\n"Acme Ltd","1 Main St,\nFloor 2, Suite 3, London"\nZHAO Guangzong,Beijing\n'
    assert [(r.number, r.name) for r in read_file(address, "list.csv", limit=10).rows] == [
        (2, "Acme Ltd"),
        (3, "ZHAO Guangzong"),
    ]


def test_only_line_feeds_and_carriage_returns_end_a_pasted_line():
    # str.splitlines also breaks at a form feed or U+2028: every later row was one past the editor's line.
    read = read_pasted("Acme\x0cLtd\nZHAO Guangzong\u2028\nJohn Smith", limit=10)
    assert [r.number for r in read.rows] == [1, 2, 3]


def test_a_workbook_whose_names_are_on_a_later_sheet_is_refused_naming_its_sheets():
    # A cover sheet first: its one line was screened ("no match") and the sheet of names never read.
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append(["Customer list, exported 2026-12-01"])
    names = book.create_sheet("Customers")
    names.append(["Name", "Country"])
    names.append(["ZHAO Guangzong", "China"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(UsageError, match="“Cover” \\(1 row\\), “Customers” \\(2 rows\\)"):
        read_file(out.getvalue(), "customers.xlsx", limit=10)


def test_a_workbook_with_names_on_two_sheets_is_refused_and_a_hidden_sheet_is_passed_over():
    book = openpyxl.Workbook()
    book.active.title = "Individuals"
    for row in (["Name"], ["ZHAO Guangzong"], ["John Smith"]):
        book.active.append(row)
    entities = book.create_sheet("Entities")
    for row in (["Name"], ["Bank Rossiya"]):
        entities.append(row)
    out = io.BytesIO()
    book.save(out)
    # The smaller second sheet of names had been left out with a note: Bank Rossiya never screened.
    with pytest.raises(UsageError, match="“Individuals” \\(3 rows\\), “Entities” \\(2 rows\\)"):
        read_file(out.getvalue(), "names.xlsx", limit=10)
    # A hidden lookup sheet first had been the one screened, the customers never.
    entities.title = "Lists"
    book.move_sheet("Lists", offset=-1)
    book["Lists"].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    read = read_file(out.getvalue(), "names.xlsx", limit=10)
    assert [r.name for r in read.rows] == ["ZHAO Guangzong", "John Smith"]


def test_a_title_above_the_header_is_passed_over_and_said():
    # The title was taken for the first row, so the header's "Country" column was screened as the names.
    data = b"Customer list export 31/05/2024\nCountry,Customer Name,DOB\nChina,ZHAO Guangzong,\n"
    read = read_file(data, "export.csv", limit=10)
    assert [(r.number, r.name, r.country) for r in read.rows] == [(3, "ZHAO Guangzong", "China")]
    assert "Above the header, row 1, “Customer list export 31/05/2024”: read as a title, not screened." in read.notes
    # A headerless file's rows of several cells are data, never a title.
    plain = read_file(b"ZHAO Guangzong,China\nName Holdings Ltd,UK\n", "plain.csv", limit=10)
    assert next(r.name for r in plain.rows) == "ZHAO Guangzong"


def test_a_column_of_numbers_under_a_name_heading_is_passed_over_for_the_names():
    data = b"Customer,Customer Name,Country\n10023,Bank Rossiya,Russia\n10024,ZHAO Guangzong,China\n"
    assert [r.name for r in read_file(data, "crm.csv", limit=10).rows] == ["Bank Rossiya", "ZHAO Guangzong"]


def test_a_piped_csv_is_told_by_its_first_line_holding_anything_in_any_encoding():
    # A blank first line made a piped CSV pasted lines (its header screened as a name, "ZHAO Guangzong,China" as one);
    # UTF-16 piped in was not read as text.
    assert has_csv_header(b"\nname,country\nZHAO Guangzong,China\n")
    assert has_csv_header(b"Supplier legal name,Country of registration\nBank Rossiya,Russia\n")
    assert has_csv_header(b"First name,Last name,Country\nGuangzong,Zhao,China\n")
    assert has_csv_header(b"Name\nBank Rossiya\n")
    assert has_csv_header("name,country\r\nZHAO Guangzong,China\r\n".encode("utf-16"))
    assert not has_csv_header(b"ZHAO Guangzong\nJohn Smith\n")


def test_the_quote_mark_is_the_double_quote_whatever_the_sniffer_guesses():
    # A cell in apostrophes made csv's sniffer take the apostrophe for the quote mark: "'t Hart BV" was refused.
    data = b"name,country\n'Abd al-Rahman',IQ\n't Hart BV,NL\nZHAO Guangzong,China\n"
    assert [r.name for r in read_file(data, "list.csv", limit=10).rows] == [
        "'Abd al-Rahman'",
        "'t Hart BV",
        "ZHAO Guangzong",
    ]


def test_a_column_of_other_peoples_names_left_unscreened_is_said():
    # "Company name, Director": the director was passed over, and nothing said so.
    read = read_file(b"Company name,Director,Country\nAcme Ltd,ZHAO Guangzong,China\n", "kyc.csv", limit=10)
    assert [r.shown for r in read.rows] == ["Acme Ltd"]
    assert any(note.startswith("Column “Director” looks like names and was not screened") for note in read.notes)
    # A file whose columns are all read says nothing of the kind.
    plain = read_file(b"Name,Country\nAcme Ltd,UK\n", "plain.csv", limit=10)
    assert not any("not screened" in note for note in plain.notes)


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_two_names_in_one_cell_one_a_line_are_each_screened():
    # Alt+Enter in Excel: "Acme Ltd⏎ZHAO Guangzong" was read as one string, and neither name was found.
    read = read_file(_xlsx([["Name", "Country"], ["Acme Ltd\nZHAO Guangzong", "China"]]), "kyc.xlsx", limit=10)
    assert [(r.name, r.other_name, r.country) for r in read.rows] == [("Acme Ltd", "ZHAO Guangzong", "China")]
    csv_read = read_file(b'name,country\n"Acme Ltd\nZHAO Guangzong",China\n', "kyc.csv", limit=10)
    assert [(r.name, r.other_name) for r in csv_read.rows] == [("Acme Ltd", "ZHAO Guangzong")]
    # An address written over lines stays one line of text.
    address = read_file(_xlsx([["Name", "Address"], ["Acme Ltd", "1 Main St\nLondon"]]), "a.xlsx", limit=10)
    assert [(r.name, r.other_name) for r in address.rows] == [("Acme Ltd", None)]
    # More names than a row screens is refused, never cut.
    with pytest.raises(UsageError, match="Row 2's name cell holds 3 names, one a line"):
        read_file(_xlsx([["Name"], ["Acme Ltd\nZHAO Guangzong\nJohn Smith"]]), "kyc.xlsx", limit=10)
