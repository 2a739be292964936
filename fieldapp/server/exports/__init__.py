"""Exports for the state's EVV aggregator and for payroll: the rows (``queries``), the file written from one
snapshot and recorded in the audit trail (``files``), and the JSON API that streams it (``router``)."""
