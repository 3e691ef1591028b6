"""The resources library: guides, sheets, videos, curated collections, readers' feedback."""

__all__: list[str] = []
