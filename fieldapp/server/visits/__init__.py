"""Visits as the office sees them: the day's board, one visit with its notes, vitals and signatures, and
the stored files those pages link to (``queries``)."""
