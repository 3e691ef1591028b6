"""Territorial action plans: actions answering diagnosed needs, delivered by sessions."""

__all__: list[str] = []
