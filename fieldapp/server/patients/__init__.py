"""Patients as the office sees them: the searched list and one patient's page (``queries``). The office
creates and edits patients through the push path (``fieldapp.server.core.office_edits``)."""
