"""Rasa custom actions: thin adapters between the tracker and the plain logic in `bot/`."""
