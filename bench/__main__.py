"""Run every benchmark, each in its own process (each sets up its own database):
python -m bench (or make bench)."""

import subprocess
import sys

BENCHMARKS = [
    "bench.import_throughput",
    "bench.supporters_import",
    "bench.field_dashboard",
    "bench.manifesto_share",
]

if __name__ == "__main__":
    for module in BENCHMARKS:
        print(f"\n== {module}")
        subprocess.run([sys.executable, "-m", module], check=True)
