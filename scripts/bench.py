"""`make bench`: runs each benchmark script in scripts/bench_*.py and prints its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    scripts = sorted(ROOT.glob("scripts/bench_*.py"))
    if not scripts:
        print("no benchmarks yet")
        return 0
    failed = 0
    for script in scripts:
        print(f"# {script.name}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
