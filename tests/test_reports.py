"""eevp.analytics.reports: the tables the pages show."""

import pandas as pd

from eevp.analytics import reports

THRESHOLD = 5


def small_wide() -> pd.DataFrame:
    # Dev: 6 promoters (10) and 4 detractors (3) of 10; Ops: 2 promoters, 8 passives of 10.
    enps = [10] * 6 + [3] * 4 + [9] * 2 + [7] * 8
    return pd.DataFrame({
        "id": range(20), "wave": ["2026-Q1"] * 20, "role": ["Dev"] * 10 + ["Ops"] * 10,
        "department": ["All"] * 20, "location": ["HQ"] * 20, "tenure": ["1-3 years"] * 20, "enps": enps,
    })


def test_enps_by_gives_promoters_and_detractors_as_shares():
    table = reports.enps_by(small_wide(), "role", THRESHOLD).set_index("role")
    assert table.loc["Dev", "promoters"] == 0.6 and table.loc["Dev", "detractors"] == 0.4
    assert table.loc["Ops", "promoters"] == 0.2 and table.loc["Ops", "detractors"] == 0.0
    assert round(table.loc["Dev", "enps"], 6) == 20.0
