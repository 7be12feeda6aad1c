import io

import pandas as pd
import pytest

from eevp.safe import csv_safe, escape_markdown, neutralise_cell, to_csv_bytes


@pytest.mark.parametrize("cell,expected", [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("plain", "plain"), ("", ""), (-5, -5), (3.5, 3.5),
])
def test_neutralise_cell(cell, expected):
    assert neutralise_cell(cell) == expected


def test_csv_export_has_bom_and_no_live_formula():
    df = pd.DataFrame({"comment": ["=HYPERLINK(\"http://x\")", "Клиенты ждут"], "n": [-1, 7]})
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert back["comment"].tolist() == ["'=HYPERLINK(\"http://x\")", "Клиенты ждут"]
    assert back["n"].tolist() == [-1, 7]
    assert csv_safe(pd.DataFrame({"=bad": [1]})).columns[0] == "'=bad"


def test_escape_markdown_keeps_text_literal():
    s = escape_markdown("<script>alert(1)</script> [link](http://x) **bold** # head")
    assert "<script>" not in s and "&lt;script&gt;" in s
    assert "\\[link\\]" in s and "\\*\\*bold\\*\\*" in s and "\\#" in s
