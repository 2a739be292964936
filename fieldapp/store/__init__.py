"""Local store of the tablet: SQLAlchemy 2.x on SQLite, one write path that stamps and queues every change."""
