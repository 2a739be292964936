"""Entry script of the frozen tablet app (installer/fieldapp.spec): the same ``main`` as ``fieldapp``."""

import sys

from fieldapp.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
