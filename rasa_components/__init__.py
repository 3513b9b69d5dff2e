"""Custom Rasa graph components. Runs inside the Rasa environment (.venv/rasa), not the app's."""
