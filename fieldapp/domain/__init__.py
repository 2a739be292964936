"""Plain-Python domain: entities, value objects, validation, hybrid logical clock, merge rules.

Nothing here imports SQLAlchemy, Qt or an HTTP library; the server and the tablet share it.
"""
