"""Circulation desk for the special institute loan scheme."""

__version__ = "0.1.0"
