"""The back-office server: FastAPI on uvicorn, SQLite by default, PostgreSQL in production.

It shares only the domain and the sync protocol with the tablet; it never imports Qt or the tablet's
store. Routes are thin (``api``); the work is done by services over the server store (``services``).
"""
