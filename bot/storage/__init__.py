"""Storage of leads: SQLAlchemy 2 models, database sessions, and the lead repository."""
