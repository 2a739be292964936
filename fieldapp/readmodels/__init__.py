"""What the screens show, as plain typed values: no SQLAlchemy, no Qt, no HTTP.

The store and the report builder fill these (``fieldapp.store.queries``, ``fieldapp.reports.builder``),
the qt layer hands them to the screens, and the screens (``fieldapp.ui``) read them without loading any
of the store's machinery. Each module holds one subject: ``visits`` (lists and the visit screen),
``conflicts``, ``status`` (replication and sync), ``day`` (the end-of-day report's content),
``submission`` (the office's receipt compared with the tablet), ``account`` (the settings screen).
Nothing is re-exported here, so importing one subject never loads another.
"""
