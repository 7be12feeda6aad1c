"""The Streamlit side of eevp: the helpers that app.py and the pages share (``import webui as ui``).

- :mod:`webui.core`: settings, the engine, the user's language and permissions;
- :mod:`webui.data`: everything the pages read, cached (every ``st.cache_*``), and the analysis run;
- :mod:`webui.widgets`: tables, charts, quotes, the survey filters;
- :mod:`webui.localise`: what charts and tables show, in the user's language;
- :mod:`webui.frame`: page config, login gate, navigation, and :func:`page`, the preamble of each page;
- :mod:`webui.login`, :mod:`webui.review`: the login form, the review of customer tags.

Only presentation lives here; every computation is in ``eevp``, which never imports this package.
"""

from eevp.safe import to_csv_bytes
from webui.core import (
    allowed,
    current_user,
    escape,
    get_engine,
    get_settings,
    guarded,
    lang,
    num,
    require_permission,
    show_error,
    t,
    username,
)
from webui.data import (
    data_key,
    embedder,
    evp_frames,
    exits_frame,
    exits_population,
    home_summary,
    run_analysis,
    survey_items,
    survey_population,
    survey_wide,
    themes_and_units,
    wave_order,
)
from webui.frame import PAGES, frame, gate, navigation, page
from webui.localise import seg_label
from webui.login import role_name
from webui.widgets import (
    analysis_notice,
    analysis_running,
    chart,
    columns_left_out,
    current_filters,
    file_uploader,
    groups_in_chart,
    page_of,
    quote,
    stop_if_empty,
    survey_filters,
    table,
)

__all__ = [
    "PAGES", "allowed", "analysis_notice", "analysis_running", "chart", "columns_left_out", "current_filters", "current_user",
    "data_key", "embedder", "escape", "evp_frames", "exits_frame", "exits_population", "file_uploader", "frame",
    "gate", "get_engine", "get_settings", "groups_in_chart", "guarded", "home_summary",
    "lang", "navigation", "num", "page", "page_of", "quote", "require_permission", "role_name", "run_analysis", "seg_label",
    "show_error", "stop_if_empty", "survey_filters", "survey_items", "survey_population", "survey_wide", "t", "table",
    "themes_and_units",
    "to_csv_bytes", "username", "wave_order",
]
