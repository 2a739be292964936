"""The end-of-day report: what a worker's day holds (``builder``, Qt-free), its PDF (``pdf``, QPainter on
QPdfWriter), and its submission to the office with the check of the server's receipt (``submit``,
Qt-free)."""
