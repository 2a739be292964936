"""Server services: the work behind the routes, each a set of functions over a SQLAlchemy session."""
