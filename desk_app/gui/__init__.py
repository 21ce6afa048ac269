"""Qt widgets: thin, they call services and render verdicts. No rules, no SQL."""
