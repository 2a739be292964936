"""The HTTP client of the sync protocol (requests): timeouts, retries, compression, tokens, events."""
