"""The sync core the routers call: applying a push (``push``: merge, stamps, replays, rows, losses),
the change feed (``feed``) and pulling from it (``pull``), who may read or write which patient
(``caseload``), values no database can store (``storable``), the device facts a push and the access
log record (``device_sync``), the office's and the server's own writes through the same path
(``office_edits``, ``admin``) and the change notices for the event streams (``notify``). It speaks no
HTTP and imports no area (an import contract)."""
