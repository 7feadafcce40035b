"""Rules for panels, assignments and reviews (owned by the judging work)."""
