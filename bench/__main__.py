"""Run every benchmark: python -m bench (or make bench)."""

from bench import import_throughput

if __name__ == "__main__":
    import_throughput.main()
