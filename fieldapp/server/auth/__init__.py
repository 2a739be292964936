"""Accounts and sign-in: sessions and tokens, password rules, sign-in throttling, the office's browser
sign-in, and the server-side account administration the CLI uses; ``router`` holds the ``/auth`` routes."""
