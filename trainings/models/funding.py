"""Funding calls (appels à projets, CNR Éducation) and the digest structures ask for."""

__all__: list[str] = []
