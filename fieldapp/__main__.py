"""``python -m fieldapp`` and the ``fieldapp`` script: the command line (``fieldapp.cli``)."""

from __future__ import annotations

from fieldapp.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
