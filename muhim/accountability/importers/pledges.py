"""Importer: see the module name."""
