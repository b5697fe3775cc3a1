"""Run every ``benchmarks/bench_*.py`` in its own process and print its table.

``make bench`` calls this. Benchmarks report ratios against peers measured in
the same run; they are not part of ``make test``.
"""

import subprocess
import sys
from pathlib import Path


def main():
    failed = []
    for script in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            failed.append(script.name)
    if failed:
        sys.exit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
