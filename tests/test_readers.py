import codecs
import datetime as dt
import io
import json
import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from eevp.errors import InputError
from eevp.intake import readers
from eevp.i18n import translate
from eevp.intake.readers import detect_encoding, list_sheets, read_table, reading_notes, sniff_delimiter

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXTERNAL = SHARED / "data" / "external"

RU = "Должность;Подразделение;Дата увольнения\nИнженер;Отдел продаж;15.03.2024\nКурьер;Логистика;01.02.2024\n"
UK = "Посада;Відділ;Дата звільнення\nІнженер;Відділ продажів;15.03.2024\nКур'єр;Логістика;01.02.2024\n"
RU_ROWS = [["Инженер", "Отдел продаж", "15.03.2024"], ["Курьер", "Логистика", "01.02.2024"]]
UK_ROWS = [["Інженер", "Відділ продажів", "15.03.2024"], ["Кур'єр", "Логістика", "01.02.2024"]]


def rows(df: pd.DataFrame) -> list[list]:
    return df.values.tolist()


# --------------------------------------------------------------------------- encodings

def _utf16be_bom(s: str) -> bytes:
    return codecs.BOM_UTF16_BE + s.encode("utf-16-be")


def _utf16le_bom(s: str) -> bytes:
    return codecs.BOM_UTF16_LE + s.encode("utf-16-le")


ENCODERS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-sig": lambda s: s.encode("utf-8-sig"),
    "utf-16-le-bom": _utf16le_bom,
    "utf-16-be-bom": _utf16be_bom,
    "utf-16-le-no-bom": lambda s: s.encode("utf-16-le"),
    "cp1251": lambda s: s.encode("cp1251"),
    "koi8-u": lambda s: s.encode("koi8_u"),
}


@pytest.mark.parametrize("encoding", list(ENCODERS))
@pytest.mark.parametrize("text, header, body", [
    (RU, ["Должность", "Подразделение", "Дата увольнения"], RU_ROWS),
    (UK, ["Посада", "Відділ", "Дата звільнення"], UK_ROWS),
])
def test_every_encoding_reads_russian_and_ukrainian(encoding, text, header, body):
    df = read_table(ENCODERS[encoding](text), "export.csv")
    assert list(df.columns) == header
    assert rows(df) == body


def test_russian_in_koi8_r_reads_as_koi8():
    df = read_table(RU.encode("koi8_r"), "export.csv")
    assert list(df.columns) == ["Должность", "Подразделение", "Дата увольнения"]


@pytest.mark.parametrize("raw, expected", [
    (b"a,b\n1,2\n", "utf-8"),
    ("Имя,b\n".encode(), "utf-8"),
    ("a,b\n".encode("utf-8-sig"), "utf-8-sig"),
    (_utf16le_bom("a,b\n"), "utf-16"),
    (_utf16be_bom("a,b\n"), "utf-16"),
    ("Посада;Відділ\nІнженер;ІТ\n".encode("utf-16-le"), "utf-16-le"),
    ("Посада;Відділ\nІнженер;ІТ\n".encode("utf-16-be"), "utf-16-be"),
    (RU.encode("cp1251"), "cp1251"),
    (UK.encode("cp1251"), "cp1251"),
    (RU.encode("koi8_u"), "koi8_u"),
    (UK.encode("koi8_u"), "koi8_u"),
    ("Должность\n".encode("cp1251"), "cp1251"),  # a single word
    ("Должность\n".encode("koi8_u"), "koi8_u"),
    ("ДАТА;ОТДЕЛ\n".encode("cp1251"), "cp1251"),  # capitals read as lower case in the other code page
    ("ДАТА;ОТДЕЛ\n".encode("koi8_u"), "koi8_u"),
    ("Name;Comment\nJosé;Très bien, café\n".encode("cp1252"), "cp1252"),
])
def test_detect_encoding(raw, expected):
    assert detect_encoding(raw) == expected


def test_western_european_text_in_cp1252():
    df = read_table("Name;Comment\nJosé;Très bien, café à côté\nMüller;Größe\n".encode("cp1252"), "x.csv")
    assert rows(df) == [["José", "Très bien, café à côté"], ["Müller", "Größe"]]


def _parallel() -> pd.DataFrame:
    path = SHARED / "data" / "multilingual" / "parallel_en_ru_uk.csv"
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    return pd.read_csv(path)


@pytest.mark.parametrize("lang", ["ru", "uk"])
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_u"])
def test_real_sentences_round_trip_through_legacy_code_pages(lang, encoding):
    par = _parallel()
    for i in range(0, len(par), 5):  # short files too: five statements each
        chunk = par.iloc[i:i + 5][["theme", lang]]
        raw = chunk.to_csv(index=False, sep=";").encode(encoding)
        assert detect_encoding(raw) == encoding
        assert rows(read_table(raw, "x.csv")) == chunk.values.tolist()


# --------------------------------------------------------------------------- delimiters

@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_every_delimiter_with_quoted_cells(delim):
    others = "".join(d for d in ",;\t|" if d != delim)
    text = (f'id{delim}comment{delim}score\n'
            f'1{delim}"has {others} inside"{delim}4\n'
            f'2{delim}plain{delim}5\n'
            f'3{delim}"quoted ""word"""{delim}3\n')
    assert sniff_delimiter(text) == delim
    df = read_table(text.encode(), "x.txt")
    assert list(df.columns) == ["id", "comment", "score"]
    assert rows(df) == [["1", f"has {others} inside", "4"], ["2", "plain", "5"], ["3", 'quoted "word"', "3"]]


def test_semicolons_with_decimal_commas():
    text = "name;score;weight\nA;4,5;1,25\nB;3,0;2,5\nC;5;0,75\n"
    assert sniff_delimiter(text) == ";"
    assert rows(read_table(text.encode(), "x.csv")) == [["A", "4,5", "1,25"], ["B", "3,0", "2,5"], ["C", "5", "0,75"]]


def test_commas_win_when_a_few_cells_hold_semicolons():
    text = "a,b,c,d\n1,x;y,3,4\n5,6,7,8\n9,10,11,12\n"
    assert sniff_delimiter(text) == ","


def test_single_column_file():
    assert sniff_delimiter("comment\nGood place\nBad pay\n") == ","
    df = read_table(b"comment\nGood place\nBad pay\n", "x.csv")
    assert list(df.columns) == ["comment"] and rows(df) == [["Good place"], ["Bad pay"]]


def test_quoted_multiline_cells_and_crlf():
    text = 'id;comment;score\r\n1;"first line\r\nsecond; line";5\r\n2;"one";4\r\n'
    df = read_table(text.encode("cp1251"), "x.csv")
    assert rows(df) == [["1", "first line\r\nsecond; line", "5"], ["2", "one", "4"]]


def test_ragged_rows_are_padded_not_refused():
    text = "a,b\n1,2\n3,4,5\n6\n"
    df = read_table(text.encode(), "x.csv")
    assert list(df.columns) == ["a", "b", "Column 3"]
    assert rows(df) == [["1", "2", None], ["3", "4", "5"], ["6", None, None]]


# --------------------------------------------------------------------------- messy exports

def test_bare_carriage_returns_inside_unquoted_cells_are_line_breaks():
    text = ("id,comment,score\n1,Good pay\r Long hours\r Nice team,4\n2,Fine,5\n"
            "3,Too many\rmeetings,2\n")
    df = read_table(text.encode(), "x.csv")
    assert rows(df) == [["1", "Good pay\n Long hours\n Nice team", "4"], ["2", "Fine", "5"],
                        ["3", "Too many\nmeetings", "2"]]
    assert reading_notes(df) == []


def test_old_mac_line_endings_still_end_rows():
    df = read_table(b"id,score\r1,4\r2,5\r", "x.csv")
    assert rows(df) == [["1", "4"], ["2", "5"]]


def test_mixed_line_endings():
    df = read_table(b"id,score\r\n1,4\n2,5\r\n3,1\n", "x.csv")
    assert rows(df) == [["1", "4"], ["2", "5"], ["3", "1"]]


def test_a_bom_in_the_middle_of_a_joined_file_and_the_repeated_header_are_dropped():
    part = "\ufeffrole;score\nEngineer;4\nAnalyst;3\n"
    df = read_table((part + part.replace("Engineer", "Driver")).encode(), "x.csv")
    assert list(df.columns) == ["role", "score"]
    assert rows(df) == [["Engineer", "4"], ["Analyst", "3"], ["Driver", "4"], ["Analyst", "3"]]
    assert reading_notes(df) == [{"row": 4, "message": "The row repeats the header row (files joined together?); "
                                  "it was skipped."}]


def test_trailing_delimiters_add_no_column():
    for text in ("role,score,\nEngineer,4,\nAnalyst,3,\n", "role,score\nEngineer,4,\nAnalyst,3,\n"):
        df = read_table(text.encode(), "x.csv")
        assert list(df.columns) == ["role", "score"] and rows(df) == [["Engineer", "4"], ["Analyst", "3"]]
        assert reading_notes(df) == []


@pytest.mark.parametrize("word", ["Total", "Итого:", "Всего", "Разом", "AVERAGE"])
def test_totals_rows_at_the_end_are_skipped_and_named(word):
    text = f"role;score\nEngineer;4\nAnalyst;2\n{word};6\nMean;3\n"
    df = read_table(text.encode(), "x.csv")
    assert rows(df) == [["Engineer", "4"], ["Analyst", "2"]]
    assert [n["row"] for n in reading_notes(df)] == [4, 5]
    assert "totals" in reading_notes(df)[0]["message"]


def test_a_totals_word_in_the_middle_is_data():
    df = read_table(b"team;score\nTotal;4\nAnalyst;2\n", "x.csv")
    assert rows(df) == [["Total", "4"], ["Analyst", "2"]] and reading_notes(df) == []


def test_a_row_longer_than_the_header_is_named_with_its_number_and_cause():
    df = read_table(b"role,comment\nEngineer,fine\nAnalyst,too many, meetings\n", "x.csv")
    assert len(df) == 2
    (note,) = reading_notes(df)
    assert note["row"] == 3 and "3 cells where the header has 2" in note["message"]


# --------------------------------------------------------------------------- tidying

def test_cells_and_headers_are_stripped_empty_is_none_and_empty_rows_and_columns_dropped():
    text = ("\n ;;;\n"  # a blank line and a row of delimiters before the header
            " Role ; Dept ;;Role; Role \n"
            " Engineer ;  IT ;; x ;\n"
            ";;;;\n"
            "Analyst; ;;;\u00a0y\u00a0\n")
    df = read_table(text.encode(), "x.csv")
    assert list(df.columns) == ["Role", "Dept", "Role (2)", "Role (3)"]
    assert rows(df) == [["Engineer", "IT", "x", None], ["Analyst", None, None, "y"]]
    assert list(df.index) == [0, 1]
    assert all(df[c].dtype == object for c in df.columns)


def test_numbers_stay_text_as_written():
    df = read_table(b"id,score,code\n007,4.50,1e3\n", "x.csv")
    assert rows(df) == [["007", "4.50", "1e3"]]


def test_header_only_file_gives_no_rows():
    df = read_table(b"a;b;c\n", "x.csv")
    assert list(df.columns) == ["a", "b", "c"] and len(df) == 0


def test_file_object_input():
    assert rows(read_table(io.BytesIO(b"a,b\n1,2\n"), "x.csv")) == [["1", "2"]]


def test_literal_na_words_are_kept_as_text():
    """'NaN', 'None', 'N/A' are what someone wrote; validation decides what they mean."""
    assert rows(read_table(b"a,b\nNaN,None\nN/A,\n", "x.csv")) == [["NaN", "None"], ["N/A", None]]


# --------------------------------------------------------------------------- xlsx

def _workbook_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Readme"
    ws.append(["This workbook has data on the second sheet"])
    data = wb.create_sheet("Data")
    data.append([None, None, None, None])
    data.append([" role ", "date", "score", "flag", None, "role"])
    data.append(["Engineer ", dt.datetime(2024, 3, 15), 4.0, True, None, "x"])
    data.append([None, None, None, None, None, None])
    data.append(["Analyst", dt.datetime(2024, 3, 15, 9, 30), 3.5, False, None, None])
    data.append(["Driver", dt.date(2024, 1, 2), 45366, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _declared_huge() -> bytes:
    """A few kB of workbook whose sheet declares every cell Excel allows (A1:XFD1048576)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["role", "score"])
    ws.append(["Engineer", 4])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                assert b"XFD1048576" in data
            z.writestr(item, data)
    return out.getvalue()


def test_xlsx_declaring_every_cell_is_read_in_little_memory():
    raw = _declared_huge()
    assert len(raw) < 10_000
    tracemalloc.start()
    try:
        df = read_table(raw, "book.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows(df) == [["Engineer", "4"]]
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("cap,value,rows_,message", [
    ("MAX_ROWS", 3, [["a"], ["1"], ["2"], ["3"]], "more than 3 rows.*cap on rows"),
    ("MAX_COLUMNS", 2, [["a", "b", "c"], ["1", "2", "3"]], "more than 2 columns.*cap on columns"),
    ("_MAX_CELLS", 5, [["a", "b"], ["1", "2"], ["3", "4"]], "more than 5 cells.*cap on cells"),
    ("MAX_CELL_CHARS", 5, [["a"], ["123456"]], "row 2.*more than 5 characters, the cap on cell size"),
])
def test_xlsx_caps_give_an_error_naming_the_cap(monkeypatch, cap, value, rows_, message):
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows_:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    read_table(buf.getvalue(), "book.xlsx")  # within the default caps
    monkeypatch.setattr(readers, cap, value)
    with pytest.raises(InputError, match=message) as exc:
        read_table(buf.getvalue(), "book.xlsx")
    for lang, word in (("ru", "листа"), ("uk", "аркуша")):  # translated like the other errors, the numbers kept
        said = translate(str(exc.value), lang).casefold()
        assert word in said and f" {value} " in said and "'sheet'" in said, said


def test_xlsx_rows_are_numbered_as_in_the_sheet():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A2"], ws["B2"] = "role", "enps"  # row 1 empty, the header on row 2
    ws["A3"], ws["B3"] = "Engineer", "9"
    ws["A4"], ws["B4"] = "role", "enps"  # the header again
    ws["A6"], ws["B6"] = "Analyst", "7"  # row 5 empty
    buf = io.BytesIO()
    wb.save(buf)
    df = read_table(buf.getvalue(), "book.xlsx")
    assert rows(df) == [["Engineer", "9"], ["Analyst", "7"]]
    assert readers.file_rows(df).tolist() == [3, 6] and [n["row"] for n in reading_notes(df)] == [4]


def test_xlsx_sheets_and_cells():
    raw = _workbook_bytes()
    assert list_sheets(raw, "book.xlsx") == ["Readme", "Data"]
    assert list(read_table(raw, "book.xlsx").columns) == ["This workbook has data on the second sheet"]
    for sheet in ("Data", 1):
        df = read_table(raw, "book.xlsx", sheet=sheet)
        assert list(df.columns) == ["role", "date", "score", "flag", "role (2)"]
        assert rows(df) == [
            ["Engineer", "2024-03-15", "4", "TRUE", "x"],
            ["Analyst", "2024-03-15 09:30:00", "3.5", "FALSE", None],
            ["Driver", "2024-01-02", "45366", None, None],
        ]


def test_xlsx_found_by_content_whatever_the_name():
    raw = _workbook_bytes()
    assert len(read_table(io.BytesIO(raw), "upload.csv", sheet="Data")) == 3


def test_missing_sheet_names_the_sheets():
    with pytest.raises(InputError) as exc:
        read_table(_workbook_bytes(), "book.xlsx", sheet="Summary")
    assert "Summary" in str(exc.value) and "Readme, Data" in str(exc.value)
    with pytest.raises(InputError, match="Readme, Data"):
        read_table(_workbook_bytes(), "book.xlsx", sheet=5)


def test_list_sheets_of_a_csv_is_empty():
    assert list_sheets(b"a,b\n", "x.csv") == []


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("raw, name, message", [
    (b"", "x.csv", "The file is empty."),
    (b"  \r\n\n ", "x.csv", "The file is empty."),
    (b"a,b\n1,\x002\n" * 10, "x.csv", "NUL bytes"),
    (bytes(range(128, 256)) * 20, "x.csv", "binary"),
    (bytes(range(1, 256)) * 20, "x.csv", "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "Excel 97"),
    (b"PK\x03\x04 not really a zip", "book.xlsx", "Could not read this file as Excel"),
    (b"a,b\n1,2\n", "book.xlsx", "not an Excel workbook"),
])
def test_bad_files_give_input_errors_that_name_the_fix(raw, name, message):
    with pytest.raises(InputError) as exc:
        read_table(raw, name)
    assert message in str(exc.value)
    assert "CSV UTF-8" in str(exc.value) or "empty" in str(exc.value)


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="Excel"):
        read_table(buf.getvalue(), "data.xlsx")


def test_rows_of_blanks_only():
    with pytest.raises(InputError, match="every row is empty"):
        read_table(b";;;\n;;\n", "x.csv")


# --------------------------------------------------------------------------- real files

def _external(*parts) -> Path:
    path = EXTERNAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external data not present: {path}")
    return path


@pytest.mark.parametrize("parts", [
    ("glassdoor-job-reviews-uk-sample", "glassdoor_reviews.csv"),
    ("qld-dete-tafe-exit-surveys", "dete_survey.csv"),
    ("indeed-canadian-city-employer-reviews", "indeed_city_employer_reviews.csv"),  # bare CRs inside cells
    ("ibm-hr-attrition", "WA_Fn-UseC_-HR-Employee-Attrition.csv"),  # UTF-8 with BOM
])
def test_real_files_read_every_row_and_cell(parts):
    path = _external(*parts)
    df = read_table(path.read_bytes(), path.name)
    # Rows end with LF; a bare CR is a line break inside a cell (pandas' default splits the row there).
    indeed = parts[0].startswith("indeed")
    ref = pd.read_csv(path, dtype=str, keep_default_na=False, **({"lineterminator": "\n"} if indeed else {}))
    assert df.shape == ref.shape
    assert list(df.columns) == [c.strip().lstrip("\ufeff") for c in ref.columns]
    for i in range(ref.shape[1]):
        expected = [(v.replace("\r", "\n") if indeed else v).strip() or None for v in ref.iloc[:, i]]
        assert df.iloc[:, i].tolist() == expected


def test_the_tafe_survey_reads_every_answer_under_its_own_question():
    # A comma file whose headers hold semicolons, one name split at its commas by doubled quotes (two names too
    # many: pandas reads every later answer under the name two to its left), ";;;;;" ending every row, and
    # undecodable bytes in five names.
    path = _external("qld-dete-tafe-exit-surveys", "tafe_survey.csv")
    df = read_table(path.read_bytes(), path.name)
    ref = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert df.shape == (len(ref), ref.shape[1] - 2)
    names = [" ".join(c.replace("\ufffd", " ").split()) for c in ref.columns]
    assert list(df.columns[:44]) == names[:44] and list(df.columns[45:]) == names[47:]
    assert df.columns[44] == ", ".join(names[44:47]).strip('"')
    for i in range(df.shape[1]):
        expected = [v.strip().removesuffix(";;;;;").strip() or None for v in ref.iloc[:, i]]
        assert df.iloc[:, i].tolist() == expected
    assert df["Main Factor. Which of these was the main factor for leaving?"].notna().sum() > 100


def test_indeed_reviews_with_bare_carriage_returns_are_all_read():
    path = _external("indeed-canadian-city-employer-reviews", "indeed_city_employer_reviews.csv")
    df = read_table(path.read_bytes(), path.name)
    assert len(df) == 3049 and reading_notes(df) == []
    reviews = [r for f in sorted((path.parent / "raw_json").glob("*.json")) for r in json.loads(f.read_text())]
    assert sorted(df["id"]) == sorted(r["id"] for r in reviews)
    texts = {(r["id"], (r["text"] or "").replace("\r", "\n").strip()) for r in reviews}
    broken = df[df["text"].str.contains("\n", regex=False, na=False)]
    assert len(broken) >= 100  # the reviews the old reader split into pieces
    assert all((i, t) in texts for i, t in zip(broken["id"], broken["text"]))


def test_real_ukrainian_russian_comments_in_cp1251_and_koi8():
    path = _external("rozetka-product-comments-uk-ru", "rozetka_reviews.csv")
    ref = read_table(path.read_bytes(), path.name).head(300)
    text = ref.to_csv(index=False, sep=";")
    for enc in ("cp1251", "koi8_u"):
        raw = text.encode(enc, errors="replace")
        assert detect_encoding(raw) == enc
        assert read_table(raw, "x.csv").shape == ref.shape


SPLIT_HEADER = ('ID,Institute,Area,Year,Topic:1. Pay was fair,""Topic:2. My space was fine e.g. light, seating, desk"",'
                'Topic:3. Manager,Gender,Age \ufffd\ufffdGroup\r\n'
                '1,A,North,2012,Agree,Agree,Neutral,Female,20-30;;;;;\r\n2,B,South,2013,Disagree,Neutral,Agree,Male,30-40;;;;;\r\n'
                '3,A,West,2013,Agree,Disagree,Agree,,;;;;;\r\n')


def test_a_column_name_split_at_its_commas_is_one_name_again_and_the_columns_keep_their_answers():
    # The Queensland TAFE exit survey: a name with doubled quotes became three names, every column after it was
    # read under the name two to its left, and each row's ";;;;;" stuck to the last answer.
    df = read_table(SPLIT_HEADER.encode(), "tafe.csv")
    assert list(df.columns) == ["ID", "Institute", "Area", "Year", "Topic:1. Pay was fair",
                                "Topic:2. My space was fine e.g. light, seating, desk", "Topic:3. Manager", "Gender",
                                "Age Group"]
    assert df["Topic:3. Manager"].tolist() == ["Neutral", "Agree", "Agree"]
    assert df["Age Group"].tolist() == ["20-30", "30-40", None]
    notes = [n["message"] for n in reading_notes(df)]
    assert len(notes) == 2 and "split at its commas" in notes[0] and "';;;;;'" in notes[1]


def test_names_in_lower_case_or_a_few_cells_ending_in_delimiters_are_left_as_they_are():
    plain = read_table(b"id,role,comment\n1,agent,fine;;\n2,clerk,slow tills\n3,agent,ok\n", "a.csv")
    assert list(plain.columns) == ["id", "role", "comment"] and plain["comment"].tolist() == ["fine;;", "slow tills", "ok"]
    assert reading_notes(plain) == []
    # a header longer than the rows, with no name that goes on from the one before it, is not mended
    short = read_table(b"ID,Role,Age,Extra\n1,Agent,30\n2,Clerk,40\n", "b.csv")
    assert list(short.columns) == ["ID", "Role", "Age", "Extra"] and short["Age"].tolist() == ["30", "40"]
