"""Secrets and protection of patient data on the device: keyring-held credentials (more to come)."""
