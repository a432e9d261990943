"""Run every benchmark in this folder, at its quick default settings, one after the other.

Each ``bench_*.py`` prints its own figures and ratios against a named baseline
measured in the same run. For the largest sizes run a script on its own, e.g.
``python bench/bench_summary.py --full`` (see each script's docstring).
"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name} ===", flush=True)
    if subprocess.call([sys.executable, str(script)]) != 0:
        failed.append(script.name)
if failed:
    print(f"\nfailed: {', '.join(failed)}")
sys.exit(1 if failed else 0)
