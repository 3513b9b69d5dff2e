"""The longest answer each stored field accepts, in characters (one place for every limit).

The conversations refuse a longer answer with a re-ask that states the maximum, and the
database columns hold at least as much (a test reads the migrated schema of SQLite and
PostgreSQL and compares), so an answer the bot accepted is never refused by the database.
"""

from __future__ import annotations

INTAKE = {
    "business_name": 120,
    "contact_name": 120,
    "contact_role": 120,
    "email": 254,  # RFC 5321's longest forward path
    "address": 300,
    "municipality": 120,
    "sector": 200,  # an unrecognised sector is kept as its detail
    "sector_detail": 200,
    "association_name": 200,
    "impact": 500,
}
FREE_TEXT = 500  # the diagnostic's free answers, a callback request's wish
SHORTEST_NAME = 2
