"""The tablets' sync routes (``/sync/push``, ``/sync/pull``, ``/sync/events``) over the sync core
(``fieldapp.server.core``), with the checks made before a batch reaches it and the event streams."""
