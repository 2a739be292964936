"""Qt adapters: the sync worker on its QThread, the sync controller on the GUI thread, reachability."""
