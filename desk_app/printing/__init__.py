"""reportlab documents built from plain data (slips, manifests, letters)."""
