"""Widgets and windows only. They talk to data through the qt models, ``fieldapp.qt.actions.Actions``
and read services handed to them (``fieldapp.qt.records.Records``); they never run SQL or HTTP.

How a screen plugs into the main window (``fieldapp.ui.main_window.MainWindow``):
- a page is registered with ``window.add_page(key, title, widget)``; pages refresh themselves from
  ``Actions.records_did_change`` (or from the qt models they were given);
- a screen asks for another record to be shown by emitting ``open_visit(uuid.UUID)`` or
  ``open_patient(uuid.UUID)`` signals, which the window forwards to its own signals of the same name;
- the visit screen is built lazily as ``fieldapp.ui.visit.VisitScreen(records, actions, parent)`` and
  shown with ``screen.show_visit(visit_id)``.
"""
