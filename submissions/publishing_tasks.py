"""Placeholder: the publishing work (issue 4) defines publish_scheduled_results here."""
