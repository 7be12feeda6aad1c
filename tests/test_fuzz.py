"""Bad input, property-based: the readers, the mapping, ingest and CSV export.

Every malformed file must end in a clear :class:`eevp.errors.EevpError` (a message a person can act
on) or be stored safely; never another exception type, and never a half-written batch: every
table keeps its row count when an ingest fails. Examples are kept few (``max_examples``) so that
the whole file runs in well under a minute.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from eevp.store import db, queries
from eevp.analytics import reports
from eevp.errors import EevpError, InputError, ValidationFailed
from eevp.intake.ingest import ingest_file, ingest_frame, rejected_frame
from eevp.intake.mapping import MAX_ITEM_NAME, MAX_ITEMS, check_mapping, suggest_mapping
from eevp.intake.readers import list_sheets, read_table
from eevp.intake.redact import Redactor
from eevp.safe import escape_markdown, to_csv_bytes
from eevp.store.auth import CLI_USER

FAST = settings(max_examples=40, deadline=None)
SLOW = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAMES = ["data.csv", "data.xlsx", "data.txt", "data.tsv", "data"]

# Letters of the three languages, digits and spaces: no delimiter, quote or line break.
PLAIN = st.text(alphabet=st.sampled_from(list("abcxyzABCXYZ0123456789 абвгдеёжзийклмнопрстуфхцчшщыьэюяіїєґ"
                                              "АБВГДЕЖЗИКЛМНОПРСТЕЮЯІЇЄҐ")), min_size=1, max_size=12) \
    .map(str.strip).filter(bool)


def tidy_contract(df: pd.DataFrame) -> None:
    """What read_table promises for any file it accepts."""
    assert isinstance(df, pd.DataFrame) and len(df.columns) >= 1
    assert list(df.index) == list(range(len(df)))
    assert df.columns.is_unique
    for name in df.columns:
        assert isinstance(name, str) and name == name.strip() and name
        assert df[name].dtype == object
    for value in df.to_numpy(dtype=object).ravel():
        assert value is None or (isinstance(value, str) and value and value == value.strip())
        assert value is None or "\x00" not in value


def read_or_error(raw: bytes, name: str):
    """The frame, or the InputError; anything else fails the test."""
    try:
        df = read_table(raw, name)
    except InputError as exc:
        assert len(str(exc)) >= 15 and str(exc)[0].isupper()  # a sentence, not a bare code
        return exc
    tidy_contract(df)
    return df


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in db.metadata.sorted_tables}


@functools.cache
def survey_xlsx() -> bytes:
    df = pd.DataFrame({"wave": ["2026-Q1"] * 12, "role": ["Engineer", "Інженер", "Курьер"] * 4,
                       "Career growth": [1, 2, 3, 4, 5, 4] * 2, "Comment": [f"Comment {i}" for i in range(12)]})
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    return buf.getvalue()


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------- random bytes and damaged files

@FAST
@given(raw=st.binary(min_size=1, max_size=3000), name=st.sampled_from(NAMES))
@example(raw=b"PK\x03\x04garbage", name="data.xlsx")
@example(raw=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, name="data.xls")
@example(raw=b"\xff\xfe", name="data.csv")
@example(raw=b"\xef\xbb\xbf", name="data.csv")
def test_random_bytes_give_a_frame_or_a_clear_error(raw, name):
    read_or_error(raw, name)


@FAST
@given(tail=st.binary(max_size=2000))
def test_zip_that_is_not_a_workbook_is_refused_as_excel(tail):
    with pytest.raises(InputError, match="Excel"):
        read_table(b"PK\x03\x04" + tail, "data.csv")
    with pytest.raises(InputError, match="Excel"):
        list_sheets(b"PK\x03\x04" + tail, "data.xlsx")


@FAST
@given(data=st.data())
def test_truncated_workbook_is_refused_with_the_fix(data):
    raw = survey_xlsx()
    cut = data.draw(st.integers(min_value=1, max_value=len(raw) - 1))
    with pytest.raises(InputError) as info:
        read_table(raw[:cut], "survey.xlsx")
    assert "xlsx" in str(info.value) or "Excel" in str(info.value)


@FAST
@given(data=st.data())
def test_workbook_with_flipped_bytes_gives_a_frame_or_a_clear_error(data):
    raw = bytearray(survey_xlsx())
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    read_or_error(bytes(raw), "survey.xlsx")


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_u"]


@FAST
@given(rows=st.lists(st.lists(st.text(max_size=15), min_size=2, max_size=2), min_size=2, max_size=8),
       encoding=st.sampled_from(ENCODINGS), data=st.data())
def test_truncated_csv_in_any_encoding_gives_a_frame_or_a_clear_error(rows, encoding, data):
    raw = csv_text([["Role", "Comment"], *rows]).encode(encoding, errors="replace")
    cut = data.draw(st.integers(min_value=1, max_value=len(raw)))
    read_or_error(raw[:cut], "export.csv")


@FAST
@given(rows=st.lists(st.lists(PLAIN, min_size=3, max_size=3), min_size=3, max_size=10), data=st.data())
def test_csv_cut_after_a_whole_line_reads_exactly_the_lines_before(rows, data):
    header = ["Role", "Department", "Comment"]
    text = csv_text([header, *rows])
    lines = text.splitlines(keepends=True)
    keep = data.draw(st.integers(min_value=2, max_value=len(lines)))  # header + at least one row
    df = read_table("".join(lines[:keep]).encode("utf-8"), "export.csv")
    assert list(df.columns) == header
    assert df.values.tolist() == rows[:keep - 1]


@FAST
@given(words=st.lists(st.sampled_from(["Инженер", "Курьер", "Продавец", "Оператор", "Інженер", "Кур'єр",
                                       "Бухгалтер", "Відділ продажів", "Логистика", "Підтримка клієнтів"]),
                      min_size=6, max_size=20),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1251", "koi8_u"]))
def test_cyrillic_in_any_supported_encoding_reads_back_exactly(words, encoding):
    rows = [[w, f"{i}"] for i, w in enumerate(words)]
    raw = csv_text([["Должность", "Номер"], *rows]).encode(encoding)
    df = read_table(raw, "export.csv")
    assert list(df.columns) == ["Должность", "Номер"]
    assert df.values.tolist() == rows


@FAST
@given(text=st.text(min_size=1, max_size=300), encoding=st.sampled_from(["latin-1", "cp1252", "cp1251", "koi8_u",
                                                                          "utf-16-le", "utf-16-be", "cp437"]))
def test_text_in_a_wrong_or_odd_encoding_gives_a_frame_or_a_clear_error(text, encoding):
    raw = ("Role,Comment\nEngineer," + text + "\n").encode(encoding, errors="replace")
    read_or_error(raw, "export.csv")


# --------------------------------------------------------------------------- NUL bytes, huge cells, wide files

@FAST
@given(data=st.data())
def test_a_nul_byte_anywhere_is_refused_with_the_fix(data):
    body = "wave,role,Comment\n" + "".join(f"2026-Q1,Engineer,comment {i}\n" for i in range(50))
    raw = body.encode()
    pos = data.draw(st.integers(min_value=0, max_value=len(raw)))
    with pytest.raises(InputError, match="NUL bytes"):
        read_table(raw[:pos] + b"\x00" + raw[pos:], "survey.csv")


def test_nul_byte_beyond_the_part_encoding_detection_reads_is_refused(engine, settings):
    # detect_encoding looks at the first 200 kB; a NUL after that used to reach the database
    # (PostgreSQL refuses NUL in text).
    body = "wave,role,Comment\n" + "".join(f"2026-Q1,Engineer,comment number {i}\n" for i in range(9000))
    raw = body.encode() + b"2026-Q1,Engineer,bad\x00cell\n"
    assert len(raw) > 200_000
    before = table_counts(engine)
    with pytest.raises(InputError, match="NUL bytes"):
        ingest_file(engine, settings, "survey", raw, "survey.csv", {"wave": "wave", "role": "role",
                                                                     "text": ["Comment"]}, actor=CLI_USER)
    assert table_counts(engine) == before


def test_one_megabyte_comment_is_stored_whole(engine, settings):
    comment = ("The queue at the tills is too long on weekends. " * 21000)[:1_000_000].strip()
    raw = csv_text([["wave", "role", "Comment"], ["2026-Q1", "Cashier", comment],
                    ["2026-Q1", "Cashier", "Short one."]]).encode()
    assert len(raw) > 1_000_000
    res = ingest_file(engine, settings, "survey", raw, "big.csv", {"wave": "wave", "role": "role",
                                                                     "text": ["Comment"]}, actor=CLI_USER)
    # one unit per statement: each full sentence, the cut-off last one, and the short comment
    assert res.rows_stored == 2 and res.text_units == comment.count(".") + 2
    with engine.connect() as conn:
        texts = conn.execute(select(db.text_units.c.text).order_by(db.text_units.c.id)).scalars().all()
    assert " ".join(texts[:-1]) == comment and texts[-1] == "Short one."  # nothing lost


def test_one_megabyte_segment_value_is_cut_to_the_column_length(engine, settings):
    role = "Engineer " * 120_000
    raw = csv_text([["wave", "role", "Career growth"], ["2026-Q1", role, "4"]]).encode()
    res = ingest_file(engine, settings, "survey", raw, "role.csv", {"wave": "wave", "role": "role",
                                                                      "items": ["Career growth"]}, actor=CLI_USER)
    assert res.rows_stored == 1
    with engine.connect() as conn:
        stored = conn.execute(select(db.survey_responses.c.role)).scalar_one()
    assert stored == role.strip()[:200]


def test_one_megabyte_header_used_as_an_item_is_refused_with_the_fix(engine, settings):
    header = "How satisfied are you " * 50_000
    raw = csv_text([["wave", header], ["2026-Q1", "4"]]).encode()
    before = table_counts(engine)
    with pytest.raises(InputError, match=f"at most {MAX_ITEM_NAME} characters"):
        ingest_file(engine, settings, "survey", raw, "header.csv", {"wave": "wave", "items": [header.strip()]}, actor=CLI_USER)
    assert table_counts(engine) == before


def test_two_long_item_names_with_the_same_beginning_are_refused_not_a_database_error(engine, settings):
    # Both names were cut to the same 200 characters and collided in the scores' primary key.
    a, b = "Q" * 250 + " pay", "Q" * 250 + " growth"
    raw = csv_text([["wave", a, b], ["2026-Q1", "3", "4"]]).encode()
    before = table_counts(engine)
    with pytest.raises(InputError, match="rename it"):
        ingest_file(engine, settings, "survey", raw, "long.csv", {"wave": "wave", "items": [a, b]}, actor=CLI_USER)
    assert table_counts(engine) == before


@functools.cache
def wide_csv() -> bytes:
    cols = [f"Q{i}" for i in range(10_000)]
    rows = [["wave", *cols]] + [["2026-Q1", *[str((i + j) % 5 + 1) for j in range(10_000)]] for i in range(6)]
    return csv_text(rows).encode()


def test_ten_thousand_columns_read_and_suggested_mapping_refused_with_the_fix(engine, settings):
    df = read_table(wide_csv(), "wide.csv")
    assert df.shape == (6, 10_001)
    assert df.iloc[2, 10_000] == str((2 + 9_999) % 5 + 1)
    mapping = suggest_mapping(df, "survey")
    assert len(mapping["items"]) == 10_000 and mapping["wave"] == "wave"
    before = table_counts(engine)
    with pytest.raises(InputError, match=f"at most {MAX_ITEMS}"):
        ingest_file(engine, settings, "survey", wide_csv(), "wide.csv", actor=CLI_USER)
    assert table_counts(engine) == before


def test_ten_thousand_columns_with_a_mapping_of_a_few_stores_those(engine, settings):
    res = ingest_file(engine, settings, "survey", wide_csv(), "wide.csv",
                      {"wave": "wave", "items": ["Q0", "Q9999"]}, actor=CLI_USER)
    assert res.rows_stored == 6
    scores = queries.score_rows(engine).groupby("item")["score"].sum()
    assert list(scores.items()) == [
        ("Q0", float(sum(i % 5 + 1 for i in range(6)))), ("Q9999", float(sum((i + 9999) % 5 + 1 for i in range(6))))]


def test_too_many_items_message_lists_the_fix():
    cols = ["wave", *[f"Q{i}" for i in range(MAX_ITEMS + 1)]]
    with pytest.raises(InputError) as info:
        check_mapping({"wave": "wave", "items": cols[1:]}, cols, "survey")
    assert f"{MAX_ITEMS + 1} columns are mapped as rating items" in str(info.value)
    check_mapping({"wave": "wave", "items": cols[1:MAX_ITEMS + 1]}, cols, "survey")  # exactly the cap: fine


# --------------------------------------------------------------------------- the mapping

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                      max_size=3), max_leaves=8)


@FAST
@given(mapping=st.one_of(JSONISH, st.dictionaries(
    st.sampled_from(["role", "wave", "items", "text", "scale", "segments", "enps", "exit_date", "bogus"]),
    JSONISH, max_size=6)), kind=st.sampled_from(["survey", "exit", "focus", "evp_catalog", "evp_ratings", "x"]))
def test_check_mapping_accepts_or_names_every_problem(mapping, kind):
    try:
        check_mapping(mapping, ["role", "wave", "Q1", "Comment"], kind)
    except InputError as exc:
        assert str(exc)


@SLOW
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=20), PLAIN,
                                         st.integers(0, 12).map(str)), min_size=4, max_size=4),
                      min_size=1, max_size=12),
       kind=st.sampled_from(["survey", "exit", "focus", "evp_catalog", "evp_ratings"]))
def test_random_frame_is_stored_or_refused_and_nothing_is_half_written(engine, settings, cells, kind):
    df = pd.DataFrame(cells, columns=["Wave", "Position", "Rating", "Comment"], dtype=object)
    df = df.map(lambda v: (v.strip() or None) if isinstance(v, str) else v)
    assume(df.notna().any().all())
    mapping = suggest_mapping(df, kind)
    assert all(c in df.columns for k, v in mapping.items() if k != "scale"
               for c in ([v] if isinstance(v, str) else v))
    before = table_counts(engine)
    try:
        res = ingest_frame(engine, settings, kind, df, mapping, actor=CLI_USER)
    except EevpError:
        assert table_counts(engine) == before
        return
    after = table_counts(engine)
    assert after["batches"] == before["batches"] + 1
    stored = {"survey": "survey_responses", "exit": "exits", "focus": "focus_sessions",
              "evp_catalog": "evp_benefits", "evp_ratings": "evp_ratings"}[kind]
    assert after[stored] - before[stored] == res.rows_stored == len(df)


@SLOW
@given(values=st.lists(st.one_of(st.integers(-3, 14).map(str), st.sampled_from(["", "x", "4,5", "nan", "inf",
                                                                                 "1e3", "-0", "５"])),
                       min_size=3, max_size=10),
       waves=st.lists(st.sampled_from(["2026-Q1", "2026-Q2", "", "15.01.2026"]), min_size=10, max_size=10))
@example(values=["nan", "3", "4"], waves=["2026-Q1"] * 10)  # the word "nan" is no empty answer
@example(values=["５", "3", "4"], waves=["2026-Q1"] * 10)
@example(values=["2", "3", "4"], waves=["2026-Q1"] * 10)
def test_bad_ratings_reject_the_batch_whole(engine, settings, values, waves):
    df = pd.DataFrame({"wave": [w or None for w in waves[:len(values)]], "role": "Engineer",
                       "Career growth": [v or None for v in values], "enps": [v or None for v in reversed(values)]},
                      dtype=object)
    mapping = {"wave": "wave", "role": "role", "items": ["Career growth"], "enps": "enps"}
    before = table_counts(engine)
    try:
        res = ingest_frame(engine, settings, "survey", df, mapping, actor=CLI_USER)
    except ValidationFailed as exc:
        assert exc.errors and all(e["message"] for e in exc.errors)
        assert table_counts(engine) == before
        return
    except EevpError:  # e.g. the same content stored before
        assert table_counts(engine) == before
        return
    # Stored: every value was a valid rating or empty.
    ok = {str(i) for i in range(1, 6)}
    assert all(v in ok or not v for v in values)
    assert table_counts(engine)["survey_responses"] == before["survey_responses"] + res.rows_stored


def test_crash_while_storing_leaves_every_table_unchanged(engine, settings, monkeypatch):
    import eevp.intake.ingest as ing

    raw = csv_text([["wave", "role", "Career growth", "Comment"], ["2026-Q1", "Engineer", "4", "Fine."],
                    ["2026-Q1", "Engineer", "2", "Too slow."]]).encode()
    before = table_counts(engine)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ing, "_text_rows", boom)  # runs after the responses and scores are inserted
    with pytest.raises(RuntimeError):
        ingest_file(engine, settings, "survey", raw, "s.csv", {"wave": "wave", "role": "role",
                                                                "items": ["Career growth"], "text": ["Comment"]}, actor=CLI_USER)
    assert table_counts(engine) == before


@pytest.mark.parametrize("bad", ["1" + "0" * 25, "-3", "0", "2.5"])
def test_focus_participants_out_of_range_is_a_clear_error(engine, settings, bad):
    raw = csv_text([["session_date", "notes", "participants"], ["2026-01-10", "Queues at the tills.", "8"],
                    ["2026-01-11", "Delivery windows.", bad]]).encode()
    before = table_counts(engine)
    with pytest.raises(ValidationFailed) as info:
        ingest_file(engine, settings, "focus", raw, "focus.csv",
                    {"session_date": "session_date", "notes": "notes", "participants": "participants"}, actor=CLI_USER)
    rows = {e["row"] for e in info.value.errors}
    assert rows == {3}  # only the bad row, named by its line in the file
    assert "whole number from 1 to 10,000" in info.value.errors[0]["message"]
    assert table_counts(engine) == before


def test_focus_participants_in_range_are_stored(engine, settings):
    raw = csv_text([["session_date", "notes", "participants"], ["2026-01-10", "Queues at the tills.", "8"],
                    ["2026-01-11", "Delivery windows.", "12,0"]]).encode()
    ingest_file(engine, settings, "focus", raw, "focus.csv",
                {"session_date": "session_date", "notes": "notes", "participants": "participants"}, actor=CLI_USER)
    with engine.connect() as conn:
        got = sorted(r[0] for r in conn.exec_driver_sql("SELECT participants FROM focus_sessions"))
    assert got == [8, 12]


# --------------------------------------------------------------------------- upload size limit

def test_upload_over_the_limit_is_refused_with_the_limit_and_the_fix(engine, settings):
    small = settings.with_(upload_limit_mb=1)
    header = "wave,role,Comment\n"
    line = "2026-Q1,Engineer,The queue at the tills is long.\n"
    raw = (header + line * (1024 * 1024 // len(line) + 10)).encode()
    assert len(raw) > 1024 * 1024
    before = table_counts(engine)
    with pytest.raises(InputError) as info:
        ingest_file(engine, small, "survey", io.BytesIO(raw), "big.csv", actor=CLI_USER)
    assert "the limit is 1 MB" in str(info.value) and "EEVP_UPLOAD_LIMIT_MB" in str(info.value)
    assert table_counts(engine) == before


def test_upload_exactly_at_the_limit_is_accepted(engine, settings):
    small = settings.with_(upload_limit_mb=1)
    header = "wave,role,Comment\n"
    line = "2026-Q1,Engineer,The queue at the tills is long number {:07d}.\n"
    lines = [line.format(i) for i in range(1024 * 1024 // len(line.format(0)) - 1)]
    raw = (header + "".join(lines)).encode()
    raw += b"2026-Q1,Engineer," + b"x" * (1024 * 1024 - len(raw) - len("2026-Q1,Engineer,") - 1) + b"\n"
    assert len(raw) == 1024 * 1024
    res = ingest_file(engine, small, "survey", raw, "edge.csv", {"wave": "wave", "role": "role",
                                                                   "text": ["Comment"]}, actor=CLI_USER)
    assert res.rows_stored == len(lines) + 1


# --------------------------------------------------------------------------- formulas, HTML and script

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
            "=1+1", "\t=1+1"]
HTML_TEXT = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "**bold** [link](http://x) # head"]


def test_formula_and_html_cells_are_stored_as_text_and_exported_neutralised(engine, settings):
    roles = ["=Engineer", "+Sales", "@Ops", "-Support"]
    rows = [["respondent_id", "wave", "role", "department", "Career growth", "Comment"]]
    texts = FORMULAS + HTML_TEXT
    for i in range(24):
        rows.append([f"r{i}", "2026-Q1", roles[i % 4], "=IT", str(i % 5 + 1), texts[i % len(texts)]])
    res = ingest_file(engine, settings, "survey", csv_text(rows).encode(), "formulas.csv",
                      {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
                       "items": ["Career growth"], "text": ["Comment"]}, actor=CLI_USER)
    assert res.rows_stored == 24
    with engine.connect() as conn:
        stored_roles = set(conn.execute(select(db.survey_responses.c.role)).scalars())
        units = conn.execute(select(db.text_units.c.record_id, db.text_units.c.text)
                             .order_by(db.text_units.c.id)).all()
    stored_texts = [" ".join(u.text for u in units if u.record_id == r)
                    for r in dict.fromkeys(u.record_id for u in units)]  # a comment's statements, joined
    assert stored_roles == set(roles)  # kept as the person typed it: text, never evaluated
    redactor = Redactor([])  # cells are stripped by the reader, then redacted (e.g. an @handle)
    assert stored_texts == [redactor.redact(texts[i % len(texts)].strip()) for i in range(24)]
    assert "<script>alert('x')</script>" in stored_texts

    from eevp.store import queries

    table = reports.segment_summary(queries.survey_wide(engine), queries.survey_items(engine), "role", 5)
    assert set(table["group"]) == set(roles)
    for frame in (table, pd.DataFrame({"text": stored_texts})):
        assert_csv_safe(to_csv_bytes(frame), frame)


SEPARATORS = (",", ";", "\t", "|", "\r", "\n")


def unneutralised(cell: str) -> str:
    """The cell without the apostrophes put before formula characters (at the start, after a separator)."""
    cell = re.sub(r"([,;\t|\r\n][ \t\"']*)'(?=[=+\-@])", r"\1", cell)
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def assert_no_formula_after_a_separator(cell: str) -> None:
    """Whatever a spreadsheet splits the cell at, no piece starts as a formula."""
    for sep in SEPARATORS:
        for piece in cell.split(sep)[1:]:
            assert not piece.lstrip(' \t"').startswith(("=", "+", "-", "@")), (sep, cell)


def assert_csv_safe(raw: bytes, frame: pd.DataFrame) -> None:
    """No cell (header included) of the CSV starts as a formula, nor has one after a separator; text
    cells read back as the text with apostrophes before those formula characters."""
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = parsed[0], parsed[1:]
    assert len(body) == len(frame)
    for j, name in enumerate(frame.columns):
        assert not header[j].startswith(FORMULA_START), header[j]
        if not pd.api.types.is_numeric_dtype(frame.iloc[:, j]):  # a negative number is no formula
            assert not any(row[j].startswith(FORMULA_START) for row in body), [row[j] for row in body]
        assert read_back(header[j], str(name))
        assert_no_formula_after_a_separator(header[j])
        for i, value in enumerate(frame.iloc[:, j]):
            if isinstance(value, str):
                assert read_back(body[i][j], value)
                assert_no_formula_after_a_separator(body[i][j])


def read_back(cell: str, value: str) -> bool:
    """The exported cell is the text as it was, or the text with apostrophes before formula characters (a
    text that starts with an apostrophe and then "=" is no formula: written as it is, it reads back so;
    hypothesis found "'=" read back as a neutralised "=")."""
    return cell == value or unneutralised(cell) == value


@FAST
@given(cols=st.lists(st.text(max_size=6), min_size=1, max_size=4),
       cells=st.lists(st.text(max_size=20), min_size=1, max_size=6), as_category=st.booleans())
@example(cols=["=A"], cells=["=1+1", "+1", "-1", "@a", "\tx", "\rx", "ok"], as_category=False)
@example(cols=["role"], cells=["=1+1"], as_category=True)
@example(cols=["comment"], cells=["fine\r=HYPERLINK(\"http://x\")", "ok\n@cmd"], as_category=False)
@example(cols=["'="], cells=["'=", "'=1+1"], as_category=False)  # an apostrophe first: no formula, kept as it is
def test_csv_export_never_starts_a_cell_with_a_formula(cols, cells, as_category):
    frame = pd.DataFrame({f"c{j}": cells for j in range(len(cols))})
    frame.columns = cols  # duplicates allowed, as a page may build them
    if as_category:
        frame.isetitem(0, pd.Categorical(cells))
    frame["n"] = range(len(cells))  # numbers stay numbers (a negative number is no formula)
    frame["score"] = [-1.5] * len(cells)
    raw = to_csv_bytes(frame)
    assert_csv_safe(raw, frame.astype({c: object for c in frame.columns[:len(cols)]}))
    body = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))[1:]
    assert [row[-2] for row in body] == [str(i) for i in range(len(cells))]
    assert {row[-1] for row in body} == {"-1.5"}


def test_rejected_rows_download_is_neutralised_too(engine, settings):
    rows = [["wave", "role", "Career growth"], ["2026-Q1", "=cmd|' /C calc'!A0", "9"], ["2026-Q1", "Eng", "4"]]
    raw = csv_text(rows).encode()
    with pytest.raises(ValidationFailed) as info:
        ingest_file(engine, settings, "survey", raw, "bad.csv", {"wave": "wave", "role": "role",
                                                                  "items": ["Career growth"]}, actor=CLI_USER)
    frame = rejected_frame(read_table(raw, "bad.csv"), info.value.errors)
    assert frame["role"].tolist() == ["=cmd|' /C calc'!A0"]
    assert_csv_safe(to_csv_bytes(frame), frame)


@FAST
@given(text=st.text(max_size=80))
@example(text="<script>alert(1)</script>")
@example(text="[click](javascript:alert(1)) ![x](http://t) **b** # h &lt; &amp;")
def test_escaped_markdown_has_no_markup_and_reads_back_as_the_text(text):
    out = escape_markdown(text)
    assert "<" not in out and ">" not in out
    # every Markdown special is escaped, and unescaping gives exactly the text back
    assert not set(re.sub(r"\\.", "", out, flags=re.DOTALL)) & set("\\`*_{}[]()#+-.!|>~<$:")
    assert html.unescape(re.sub(r"\\(.)", r"\1", out, flags=re.DOTALL)) == text


def test_labels_longer_than_the_database_keeps_are_row_errors_not_silent_cuts(engine, settings):
    # Two wave labels that share their first 64 characters would merge if cut: refuse, name the fix.
    long = "Annual engagement survey for the whole company, autumn edition, "
    raw = csv_text([["wave", "role", "Career growth"], [long + "A", "Engineer", "4"], [long + "B", "Engineer", "3"],
                    ["2026-Q1", "Engineer", "5"]]).encode()
    before = table_counts(engine)
    with pytest.raises(ValidationFailed) as info:
        ingest_file(engine, settings, "survey", raw, "s.csv", {"wave": "wave", "role": "role",
                                                                "items": ["Career growth"]}, actor=CLI_USER)
    assert {e["row"] for e in info.value.errors} == {2, 3}
    assert all("longer than 64 characters" in e["message"] for e in info.value.errors)
    assert table_counts(engine) == before

    raw = csv_text([["benefit", "pillar", "roles_offered"], ["Gym", "P" * 101, "all"], ["Lunch", "Wellbeing", "all"]])
    with pytest.raises(ValidationFailed) as info:
        ingest_file(engine, settings, "evp_catalog", raw.encode(), "c.csv",
                    {"benefit": "benefit", "pillar": "pillar", "roles_offered": "roles_offered"}, actor=CLI_USER)
    assert [(e["row"], "pillar name" in e["message"]) for e in info.value.errors] == [(2, True)]
