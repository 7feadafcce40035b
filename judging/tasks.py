"""Placeholder: the judging work (issue 3) defines its tasks here."""
