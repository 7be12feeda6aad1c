"""eevp: employee-experience insight — surveys, exits, focus groups, the EVP, and what staff say about customers.

The package never imports streamlit; the app (``app.py``, ``pages/``) and the CLI (``python -m eevp``)
are thin layers over it.
"""

__version__ = "0.1.0"

__all__ = ["Settings", "EevpError", "__version__"]

from eevp.errors import EevpError  # noqa: E402
from eevp.settings import Settings  # noqa: E402
