"""Advisor sessions: availability, free slots, fair assignment, invitations (America/Toronto)."""

from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("America/Toronto")
