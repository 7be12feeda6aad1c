import datetime as dt
import os

import numpy as np
import pandas as pd
import pytest

from eevp.intake.dates import month_from_name, parse_date, parse_date_column

os.environ.setdefault("HF_HUB_OFFLINE", "1")

D = dt.date


@pytest.mark.parametrize("value, expected", [
    ("2024-03-15", D(2024, 3, 15)),
    ("2024-03-15T10:30:00Z", D(2024, 3, 15)),
    ("2024-03-15 10:30:00+03:00", D(2024, 3, 15)),
    ("2024-03-15 00:00:00", D(2024, 3, 15)),
    ("2024/3/5", D(2024, 3, 5)),
    ("15.03.2024", D(2024, 3, 15)),
    ("15.03.2024 10:30", D(2024, 3, 15)),
    ("5.3.2024", D(2024, 3, 5)),
    ("15/03/2024", D(2024, 3, 15)),
    ("3/15/2024", D(2024, 3, 15)),  # the value itself proves month-first
    ("3/15/2024 4:05 PM", D(2024, 3, 15)),
    ("03/04/2024", D(2024, 4, 3)),  # ambiguous: day-first
    ("15-03-2024", D(2024, 3, 15)),
    ("15.03.24", D(2024, 3, 15)),
    ("01.02.99", D(1999, 2, 1)),
    ("03/2024", D(2024, 3, 1)),
    ("08/2012", D(2012, 8, 1)),
    ("2024-07", D(2024, 7, 1)),
    ("2012", D(2012, 1, 1)),
    ("45366", D(2024, 3, 15)),
    ("45366.75", D(2024, 3, 15)),
    (45366, D(2024, 3, 15)),
    (45366.5, D(2024, 3, 15)),
    (2019, D(2019, 1, 1)),
    (np.int64(45366), D(2024, 3, 15)),
    (dt.datetime(2024, 3, 15, 17, 45), D(2024, 3, 15)),
    (dt.date(2024, 3, 15), D(2024, 3, 15)),
    (pd.Timestamp("2024-03-15 08:00"), D(2024, 3, 15)),
    (np.datetime64("2024-03-15"), D(2024, 3, 15)),
    # English month names
    ("15 March 2024", D(2024, 3, 15)),
    ("15 Mar 2024", D(2024, 3, 15)),
    ("15-Mar-24", D(2024, 3, 15)),
    ("March 15, 2024", D(2024, 3, 15)),
    ("January 2, 2020", D(2020, 1, 2)),
    ("1st March 2024", D(2024, 3, 1)),
    ("Friday, March 15, 2024", D(2024, 3, 15)),
    ("Mar 2024", D(2024, 3, 1)),
    ("September 2023", D(2023, 9, 1)),
    ("Sept 2023", D(2023, 9, 1)),
    # Russian, all cases and abbreviations
    ("15 марта 2024", D(2024, 3, 15)),
    ("15 марта 2024 г.", D(2024, 3, 15)),
    ("2 мая 2023", D(2023, 5, 2)),
    ("май 2023", D(2023, 5, 1)),
    ("март 2024", D(2024, 3, 1)),
    ("в марте 2024", D(2024, 3, 1)),  # "in March 2024": one short word besides the month is allowed
    ("в конце марта 2024", None),  # more words than that: not guessed
    ("1 сентября 2022 года", D(2022, 9, 1)),
    ("сент. 2022", D(2022, 9, 1)),
    ("Январь 2025", D(2025, 1, 1)),
    ("31 декабря 2024", D(2024, 12, 31)),
    ("1 июня 2024", D(2024, 6, 1)),
    ("1 июля 2024", D(2024, 7, 1)),
    ("5 февраля 2024", D(2024, 2, 5)),
    # Ukrainian
    ("15 березня 2024", D(2024, 3, 15)),
    ("березень 2024", D(2024, 3, 1)),
    ("лист. 2024", D(2024, 11, 1)),
    ("листопад 2024", D(2024, 11, 1)),
    ("3 січня 2025 р.", D(2025, 1, 3)),
    ("20 квітня 2024", D(2024, 4, 20)),
    ("1 травня 2024", D(2024, 5, 1)),
    ("10 червня 2024", D(2024, 6, 10)),
    ("10 липня 2024", D(2024, 7, 10)),
    ("10 серпня 2024", D(2024, 8, 10)),
    ("10 вересня 2024", D(2024, 9, 10)),
    ("10 жовтня 2024", D(2024, 10, 10)),
    ("10 грудня 2024", D(2024, 12, 10)),
    ("лютий 2024", D(2024, 2, 1)),
    # Unparseable
    ("NaN", None),
    ("Not Stated", None),
    ("n/a", None),
    ("31.02.2024", None),
    ("13/13/2024", None),
    ("2024-13-01", None),
    ("March", None),
    ("12345", None),
    (3.5, None),
    (True, None),
    # Empty
    ("", None),
    ("   ", None),
    (None, None),
    (float("nan"), None),
    (pd.NA, None),
    (pd.NaT, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def col(*values):
    return pd.Series(list(values), dtype=object)


def test_slash_column_is_day_first_unless_proven_otherwise():
    dates, bad = parse_date_column(col("03/04/2024", "05/06/2024"))
    assert list(dates) == [D(2024, 4, 3), D(2024, 6, 5)] and bad == []


def test_one_month_first_value_makes_the_whole_column_month_first():
    dates, bad = parse_date_column(col("03/04/2024", "3/15/2024", "12/01/2023"))
    assert list(dates) == [D(2024, 3, 4), D(2024, 3, 15), D(2023, 12, 1)]
    assert bad == []


def test_day_first_evidence_wins_and_a_contradicting_value_is_reported():
    dates, bad = parse_date_column(col("25/04/2024", "03/04/2024", "04/25/2024"))
    assert list(dates) == [D(2024, 4, 25), D(2024, 4, 3), None]
    assert bad == [2]


def test_dots_are_always_day_first_and_are_no_evidence_for_slashes():
    dates, bad = parse_date_column(col("03.04.2024", "3/15/2024", "04/05/2024"))
    assert list(dates) == [D(2024, 4, 3), D(2024, 3, 15), D(2024, 4, 5)]
    assert bad == []


def test_column_reports_positions_of_unreadable_non_empty_values():
    s = pd.Series(["08/2012", "Not Stated", None, "", "2010", "NaN", "05/2011"], index=[10, 11, 12, 13, 14, 15, 16])
    dates, bad = parse_date_column(s)
    assert list(dates.index) == list(s.index)
    assert dates.dtype == object
    assert list(dates) == [D(2012, 8, 1), None, None, None, D(2010, 1, 1), None, D(2011, 5, 1)]
    assert bad == [1, 5]


def test_mixed_cells_from_a_spreadsheet():
    dates, bad = parse_date_column(col(dt.datetime(2024, 1, 2), 45366, "15.03.2024", "berry"))
    assert list(dates) == [D(2024, 1, 2), D(2024, 3, 15), D(2024, 3, 15), None]
    assert bad == [3]


def test_column_results_are_python_dates():
    dates, _ = parse_date_column(col("2024-03-15", pd.Timestamp("2024-01-01")))
    assert all(type(d) is dt.date for d in dates)


def test_large_column_of_repeated_values():
    s = pd.Series([f"{d % 28 + 1:02d}.{d % 12 + 1:02d}.20{d % 30:02d}" for d in range(20_000)], dtype=object)
    dates, bad = parse_date_column(s)
    assert bad == []
    assert (dates.iloc[29], dates.iloc[19_999]) == (D(2029, 6, 2), D(2019, 8, 8))


@pytest.mark.parametrize("word, month", [
    ("Jan", 1), ("february", 2), ("MAY", 5), ("jun.", 6), ("Dec", 12), ("ma", None), ("monday", None),
    ("января", 1), ("мая", 5), ("Май", 5), ("марте", 3), ("нояб.", 11), ("октябрь", 10), ("августа", 8),
    ("січня", 1), ("березні", 3), ("трав.", 5), ("жовтень", 10), ("груд", 12), ("вересень", 9),
    ("молоко", None), ("", None),
])
def test_month_from_name(word, month):
    assert month_from_name(word) == month
