"""Conflicts: the values that lost a merge, as the office lists them (``queries``); restoring one goes
through the push path (``fieldapp.server.core.office_edits``), which rule may be restored is the core's
(``fieldapp.server.core.losses.restorable``)."""
