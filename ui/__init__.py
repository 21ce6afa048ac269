"""Qt Designer forms, loaded by composition."""
