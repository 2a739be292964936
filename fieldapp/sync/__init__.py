"""Qt-free synchronisation: the protocol shared with the server, and (next) the client sync engine."""
