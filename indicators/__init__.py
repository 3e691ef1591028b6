"""Indicators computed per territory."""
