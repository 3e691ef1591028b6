"""Trainings, resources and territorial action plans."""
