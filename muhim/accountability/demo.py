"""Demo data for election accountability: pledges (demo_pledges.py) and the evidence the
objectives are measured by, surveys, media stories and budgets (demo_evidence.py)."""

from . import demo_evidence, demo_pledges


def load(stdout=None):
    demo_pledges.load(stdout=stdout)
    demo_evidence.load(stdout=stdout)
