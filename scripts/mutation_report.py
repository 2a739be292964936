"""`make mutation`: the mutation score of each mutated module, its surviving mutants, and a floor check.

Reads what `mutmut run` left in mutants/ (one ``<module>.py.meta`` per mutated module) and prints, per
module, killed / total and the percentage, then every mutant that was not killed with its diff (from
`mutmut show`). A timeout counts as killed: the mutant made the tests hang, so they noticed it. Mutants
known to be equivalent are still counted as not killed; docs/testing.md lists them with the reason.

Exits 1 if any module scores below ``--min`` percent, 2 if mutmut left no results.
Run with the project's virtualenv: `.venv/bin/python scripts/mutation_report.py [--min 98]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code).
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def modules() -> list[str]:
    """The files mutmut mutates, from pyproject.toml's [tool.mutmut] only_mutate."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def diff(mutant: str) -> str:
    """The mutant's change as `mutmut show` prints it, without the file headers."""
    command = [sys.executable, "-m", "mutmut", "show", mutant]
    shown = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False).stdout
    return "\n".join(
        line
        for line in shown.splitlines()
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=98.0, help="lowest acceptable score per module, percent")
    args = parser.parse_args()

    below, missing = [], []
    for module in modules():
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            missing.append(module)
            continue
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        killed = sum(code in KILLED or code in TIMEOUT for code in codes.values())
        timeouts = sum(code in TIMEOUT for code in codes.values())
        score = 100.0 * killed / len(codes) if codes else 100.0
        note = f" ({timeouts} by timeout)" if timeouts else ""
        print(f"{module}: {killed} / {len(codes)} killed{note}, {score:.1f}%")
        others = {name: code for name, code in codes.items() if code not in KILLED | TIMEOUT}
        for name, code in sorted(others.items()):
            print(f"  {STATUS.get(code, f'exit {code}')}: {name}")
            for line in diff(name).splitlines():
                print(f"      {line}")
        if score < args.min:
            below.append(module)
    if missing:
        print(f"no mutmut results for {', '.join(missing)}: run `mutmut run` first", file=sys.stderr)
        return 2
    if below:
        print(f"below {args.min:g}%: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
