"""Plain-Python domain: entities, value objects, validation, hybrid logical clock, merge rules.

Nothing here imports SQLAlchemy, Qt or an HTTP library; the server and the tablet share it.
"""

# The entity registry first: the entities kept in their own modules (care, medications, attachments)
# register with it, which needs ``entities`` loaded before them.
from fieldapp.domain import entities as _entities  # noqa: F401
