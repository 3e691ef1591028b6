"""The trainings app in the admin: each part registers its models from its own module."""

# The resources library; action plans and funding calls.
from . import plan_admin, resource_admin  # noqa: F401
