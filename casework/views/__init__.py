"""Casework pages: thin views over casework.selectors (reads) and casework.services (writes)."""
