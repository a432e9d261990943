"""Run every benchmark in this folder (quick settings) one after the other.

Each ``bench_*.py`` prints its own figures and ratios against a named baseline
measured in the same run. Pass ``--full`` to forward it to every script (the
largest sizes; takes minutes).
"""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
extra = sys.argv[1:]
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name} ===", flush=True)
    if subprocess.call([sys.executable, str(script), *extra]) != 0:
        failed.append(script.name)
if failed:
    print(f"\nfailed: {', '.join(failed)}")
sys.exit(1 if failed else 0)
