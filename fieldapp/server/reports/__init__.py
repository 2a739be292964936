"""End-of-day reports: ``receipts`` says what the server holds for a day, ``queries`` reads them for the
office pages, ``router`` holds ``/reports``."""
