"""Start the app: ``python scripts/serve.py [streamlit options]`` (what ``scripts/run.sh`` runs).

The same as ``streamlit run app.py [options]``, but an address such as ``/survey`` opened as the first visit
after the server starts opens that page without Streamlit's "Page not found" dialog.

Why: Streamlit decides once per process whether an app with a ``pages/`` folder is an old-style multipage
app, and changes its mind only when a script first calls ``st.navigation``. Until then, the first session
looks the address up among the files of ``pages/`` (whose addresses are "Survey", "Customer_insights"),
reports "Page not found", and only then runs ``app.py``, whose navigation opens the right page under the
dialog. ``app.py`` always declares its pages with ``st.navigation``, so this says so before the first
session, as Streamlit itself does after the first ``st.navigation`` call.

A script, not a module of ``webui``: importing ``webui`` before Streamlit's runtime exists would create the
pages' caches outside it (and print a warning for each).
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(options: list[str]) -> None:
    """Run the app with Streamlit's command line and ``options`` (``--server.port 8501`` and the like)."""
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
