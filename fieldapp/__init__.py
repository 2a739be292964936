"""fieldapp: offline-first field-service application for home-healthcare workers."""

__version__ = "0.1.0"
