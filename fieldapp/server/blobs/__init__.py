"""Files (signature images, day-report PDFs) stored under the SHA-256 of their content: ``store`` checks
and keeps them, ``router`` holds ``/blobs``."""
