import sys

from eevp.cli import main

if __name__ == "__main__":  # ingest's redaction workers are spawned: they import this module again
    sys.exit(main())
