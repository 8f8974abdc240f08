"""Validation checks, one module per concern; each returns a list of Diagnostics."""
