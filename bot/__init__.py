"""NumériQC intake assistant: domain logic, storage and web app (plain Python, no Rasa import)."""
