"""The sync core the routers call: applying a push (``push``: merge, stamps, replays, rows, losses),
the change feed (``feed``) and pulling from it (``pull``), who may read or write which patient
(``caseload``), values no database can store (``storable``), the device facts a push records
(``device_sync``), the office's writes through the same path (``office_edits``) and the change notices
for the event streams (``notify``). It speaks no HTTP and imports no area (an import contract)."""
