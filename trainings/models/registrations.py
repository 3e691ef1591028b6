"""Registrations to sessions, the waiting list and attendance."""

__all__: list[str] = []
