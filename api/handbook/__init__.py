"""Handbook and study content: documents of ordered sections, revisions, acknowledgements, offline sync."""
