"""Data files shipped with the desk (policy, demo data, sounds, translations)."""
