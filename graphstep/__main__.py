"""``python -m graphstep ...`` runs the ``graphstep`` command (see :mod:`graphstep.cli`)."""

import sys

from graphstep.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
