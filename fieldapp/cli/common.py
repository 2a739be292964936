"""What the command groups share."""

from __future__ import annotations

import argparse
import sys
from typing import TypeAlias

from fieldapp import failures

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise failures.Refusal("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")
