"""The scheme's rules as pure functions.

Nothing here reads the clock, the database or a file, and nothing imports Qt or
SQLAlchemy: every rule can be checked offline, in a replay or in a what-if run.
Each rule is findable by its id from ``shared/spec/scheme-rules.md``.
"""
