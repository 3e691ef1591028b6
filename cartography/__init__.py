"""Territories (départements, EPCI, communes and the COG change history) and their maps."""
