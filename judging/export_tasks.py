"""Placeholder: the console work (issue 4) defines the export tasks here."""
