"""How a registered person is told things (confirmation, offer of a seat, reminder): a small
registry of channels.

A channel is a class with a `name`, a `label`, `reaches(registration) -> bool` and
`send(registration, subject, body)`; the setting `HUB_TRAINING_CHANNELS` lists them as dotted
paths, in order of preference, and a message goes through the first one that reaches the
person. E-mail is the only one today; an SMS channel plugs in by adding its class to that list
(it would reach registrations with a phone and no e-mail, which today get no message: their
organisers call them).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class EmailChannel:
    name = "email"
    label = "e-mail"

    def reaches(self, registration) -> bool:
        return bool(registration.email)

    def send(self, registration, subject: str, body: str) -> None:
        send_mail(subject, body, None, [registration.email], fail_silently=False)


@functools.cache
def _channels(paths: tuple[str, ...]) -> list:
    return [import_string(path)() for path in paths]


def channels() -> list:
    """The configured channels, in order of preference."""
    return _channels(tuple(settings.HUB_TRAINING_CHANNELS))


def channel_for(registration):
    """The first channel reaching `registration`, or None (no contact any channel can use)."""
    return next((c for c in channels() if c.reaches(registration)), None)
