"""The command line: ``desk-app replay``, ``notices``, ``demo``; no rules here."""
