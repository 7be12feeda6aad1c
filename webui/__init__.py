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
    digest_page,
    embedder,
    evp_catalog,
    evp_tables,
    exits_frames,
    group_summary,
    home_alerts,
    home_summary,
    run_analysis,
    stored_rows,
    summary_groups,
    survey_items,
    survey_frames,
    theme_summaries,
    themes_and_units,
    wave_order,
)
from webui.frame import PAGES, frame, gate, navigation, page
from webui.localise import favourable_note, seg_label, value_label
from webui.login import role_name
from webui.widgets import (
    THEMES_PER_PAGE,
    action_button,
    analysis_notice,
    analysis_running,
    answer_labels,
    chart,
    columns_left_out,
    current_filters,
    file_uploader,
    groups_in_chart,
    no_themes_message,
    page_of,
    plain_table,
    preview_table,
    quote,
    stop_if_empty,
    survey_filters,
    table,
    theme_summary,
    validation_findings,
)

__all__ = [
    "PAGES", "THEMES_PER_PAGE", "action_button", "allowed", "analysis_notice", "analysis_running", "answer_labels", "chart",
    "columns_left_out", "current_filters", "current_user", "data_key", "digest_page", "embedder", "escape", "evp_catalog", "evp_tables",
    "exits_frames", "file_uploader", "frame", "gate", "get_engine", "get_settings",
    "group_summary", "groups_in_chart", "guarded", "home_alerts", "home_summary",
    "lang", "navigation", "num", "page", "page_of", "plain_table", "preview_table", "quote", "require_permission", "role_name", "run_analysis", "seg_label",
    "show_error", "stop_if_empty", "stored_rows", "summary_groups", "survey_filters", "survey_items", "survey_frames",
    "t", "table", "theme_summaries", "theme_summary", "themes_and_units",
    "to_csv_bytes", "username", "validation_findings", "value_label", "wave_order",
    "favourable_note", "no_themes_message",
]
