import sys

from eevp.cli import main

sys.exit(main())
