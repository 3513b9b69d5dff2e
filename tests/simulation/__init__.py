"""Simulated merchants: personas played end to end through the REST channel."""
