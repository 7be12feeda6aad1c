"""eevp.store.queries: reading what is stored."""

import datetime as dt

import pandas as pd
import pytest

from eevp.store import queries


@pytest.mark.parametrize("label, period", [
    ("2026-Q3", "2026-07"), ("Q2 2021", "2021-04"), ("2021Q2", "2021-04"), ("2008-03", "2008-03"),
    ("2020-H2", "2020-07"), ("2012", "2012-01"), ("Spring pulse", None), ("2026-Q5", None),
])
def test_wave_period_reads_the_period_a_label_names(label, period):
    assert queries.wave_period(label) == period


def test_waves_are_ordered_by_time_not_by_batch():
    # The demo's undated quarterly waves came first (lower ids); a later upload adds older, dated waves.
    firsts = pd.DataFrame({
        "wave": ["2025-Q4", "2026-Q1", "2026-Q3", "2008-Q2", "2021-Q2", "Spring pulse"],
        "first_date": [None, None, None, dt.date(2008, 5, 1), dt.date(2021, 4, 2), None],
        "first_id": [1, 100, 200, 300, 400, 50],
    })
    assert queries._wave_order(firsts) == ["2008-Q2", "2021-Q2", "2025-Q4", "2026-Q1", "2026-Q3", "Spring pulse"]
