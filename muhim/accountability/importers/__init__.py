"""The accountability importers, one module per kind of record (autodiscovered as
`muhim.accountability.importers`)."""

from . import budgets, media, pledges, surveys  # noqa: F401
