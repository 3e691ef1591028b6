"""The trainings app in the admin: each part registers its models from its own module."""

# The catalogue (themes, trainings, sessions); the resources library; action plans and funding
# calls.
from . import catalogue_admin, plan_admin, resource_admin  # noqa: F401
