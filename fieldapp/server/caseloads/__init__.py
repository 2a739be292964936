"""Caseloads: the office's views of workers and their caseloads (``queries``) and ``/caseloads``
(``router``); the rule itself (who may read or write which patient) is the sync core's
(``fieldapp.server.core.caseload``)."""
