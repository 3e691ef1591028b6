"""Actors of digital inclusion: structures, places, offers (see issue on places)."""
