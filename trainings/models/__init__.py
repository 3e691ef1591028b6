"""The trainings app's models, one module per part of the domain (each owns its migrations'
worth of models): the catalogue of trainings and their sessions, registrations and attendance,
the resources library, territorial action plans, funding calls."""

from .catalogue import *  # noqa: F403
from .funding import *  # noqa: F403
from .plans import *  # noqa: F403
from .registrations import *  # noqa: F403
from .resources import *  # noqa: F403
