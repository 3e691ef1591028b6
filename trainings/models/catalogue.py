"""Trainings (what is taught, to whom) and their sessions (where, when, how many seats)."""

__all__: list[str] = []
