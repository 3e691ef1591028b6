"""The trainings app in the admin: each part registers its models from its own module."""

from . import resource_admin  # noqa: F401  (the resources library)
