"""Listings people claim and correct: a médiateur's "C'est mon lieu" decided by the structure's
admins (or, while it has none, by the moderators covering the place), and error reports sent to
the place's members and moderators, resolved in a queue.

Moderators are the hub administrators whose territory covers the place's commune."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.rules import forget

from .models import ErrorReport, Membership, Place, PlaceClaim

log = logging.getLogger(__name__)


def moderators_of(place: Place):
    """The active hub administrators whose territory covers `place` (national ones always)."""
    covers = Q(staff_scopes__kind=roles.NATIONAL)
    if place.commune_id:
        commune = place.commune
        covers |= Q(
            staff_scopes__kind=roles.DEPARTEMENT, staff_scopes__code=commune.departement.code
        )
        covers |= Q(staff_scopes__kind=roles.COMMUNE, staff_scopes__code=commune.code)
        if commune.epci_id:
            covers |= Q(staff_scopes__kind=roles.EPCI, staff_scopes__code=commune.epci.siren)
    admins = Q(groups__name=roles.HUB_ADMINS, staff_scopes__role=roles.HUB_ADMINS) & covers
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=users.filter(admins | Q(is_superuser=True)).values("pk"))


def members_of(place: Place, admins_only: bool = False):
    """The active members (or admins) of the place's structure."""
    memberships = Membership.objects.filter(
        structure=place.structure_id, status=Membership.Status.ACTIVE
    )
    if admins_only:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    return get_user_model().objects.filter(is_active=True, memberships__in=memberships)


def _emails(users) -> list[str]:
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _link(name: str, *args) -> str:
    return settings.HUB_BASE_URL + reverse(name, args=args)


def _send(messages: list[tuple[str, str, None, list[str]]]) -> None:
    """Send after the change is saved; a mail server out of reach does not undo it (logged)."""
    # One-line subjects: a place's name comes from files and forms (a newline would be refused).
    messages = [(" ".join(m[0].split()), *m[1:]) for m in messages if m[3]]
    if not messages:
        return

    def send():
        try:
            send_mass_mail(messages, fail_silently=False)
        except (OSError, SMTPException):
            log.exception("e-mails non envoyés : %s", [m[0] for m in messages])

    transaction.on_commit(send)


# Claims ----------------------------------------------------------------------------------------


def deciders_of(place: Place):
    """Who decides on a claim of `place`: its structure's admins, else its moderators."""
    if place.structure.has_admin():
        return members_of(place, admins_only=True)
    return moderators_of(place)


def submit_claim(place: Place, user, message: str = "") -> tuple[PlaceClaim, bool]:
    """Record `user`'s claim of `place` (one pending claim per person and place) and tell
    the deciders. Returns the claim and whether it is new."""
    with transaction.atomic():
        claim = PlaceClaim.objects.pending().filter(place=place, user=user).first()
        if claim is not None:
            return claim, False
        claim = PlaceClaim.objects.create(place=place, user=user, message=message.strip())
        body = (
            f"Bonjour,\n\n{user.get_username()} ({user.email or 'sans adresse électronique'}) "
            f"indique tenir le lieu « {place.name} » ({place.postal_code} "
            f"{place.commune_name}) et demande à pouvoir modifier sa fiche.\n"
        )
        if claim.message:
            body += f"\nSon message :\n{claim.message}\n"
        body += f"\nAcceptez ou refusez la demande dans votre espace :\n{_link('space')}\n"
        _send(
            [
                (
                    f"« {place.name} » : une demande « C’est mon lieu »",
                    body,
                    None,
                    _emails(deciders_of(place)),
                )
            ]
        )
    return claim, True


def decide_claim(claim: PlaceClaim, user, approve: bool) -> PlaceClaim:
    """Approve or refuse a pending claim. Approved, the claimant becomes an active member of the
    place's structure, its admin when it had none (an imported listing without SIRET has a
    structure of its own, named after it, with nobody in it). The claimant is told."""
    with transaction.atomic():
        claim = PlaceClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != PlaceClaim.Status.PENDING:
            return claim
        place = claim.place
        now = timezone.now()
        claim.status = PlaceClaim.Status.APPROVED if approve else PlaceClaim.Status.REFUSED
        claim.decided_by, claim.decided_at = user, now
        claim.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            role = Membership.Role.MEMBER if place.structure.has_admin() else Membership.Role.ADMIN
            membership, created = Membership.objects.get_or_create(
                structure=place.structure,
                user=claim.user,
                defaults={"role": role, "status": Membership.Status.ACTIVE},
            )
            if not created and membership.status != Membership.Status.ACTIVE:
                membership.role = role
            membership.status = Membership.Status.ACTIVE
            membership.decided_by, membership.decided_at = user, now
            membership.save()
            forget(claim.user)
            body = (
                f"Bonjour,\n\nVotre demande pour « {place.name} » est acceptée : vous pouvez "
                f"désormais modifier sa fiche depuis votre espace :\n{_link('space')}\n"
            )
        else:
            body = (
                f"Bonjour,\n\nVotre demande pour « {place.name} » a été refusée. Si vous pensez "
                "qu’il s’agit d’une erreur, répondez à ce message ou rapprochez-vous de la "
                f"structure qui tient ce lieu.\n\nVotre espace : {_link('space')}\n"
            )
        verdict = claim.get_status_display()
        _send(
            [
                (
                    f"« {place.name} » : demande {verdict}",
                    body,
                    None,
                    [claim.user.email] if claim.user.email else [],
                )
            ]
        )
    return claim


# Error reports ---------------------------------------------------------------------------------


def submit_report(report: ErrorReport) -> ErrorReport:
    """Store a report and send it to the place's members and moderators."""
    report.save()
    place = report.place
    body = (
        f"Bonjour,\n\nQuelqu’un signale une erreur sur la fiche « {place.name} » "
        f"({place.postal_code} {place.commune_name}) :\n\n{report.get_kind_display()}\n"
    )
    if report.message:
        body += f"{report.message}\n"
    body += (
        f"\nLa fiche : {_link('directory-place', place.pk)}\n"
        f"Marquez le signalement comme traité une fois la fiche corrigée :\n"
        f"{_link('error-reports')}\n"
    )
    recipients = set(_emails(members_of(place))) | set(_emails(moderators_of(place)))
    _send([(f"Erreur signalée sur « {place.name} »", body, None, sorted(recipients))])
    return report


def resolve_report(report: ErrorReport, user, resolution: str = "") -> bool:
    """Mark an open report resolved (who, when, what was done) and, if the reporter asked and
    left an address, tell them. Returns False when it was already resolved."""
    with transaction.atomic():
        now = timezone.now()
        done = ErrorReport.objects.filter(pk=report.pk, status=ErrorReport.Status.OPEN).update(
            status=ErrorReport.Status.RESOLVED,
            resolved_by=user,
            resolved_at=now,
            resolution=resolution.strip(),
        )
        if not done:
            return False
        report.refresh_from_db()
        if report.notify_reporter and report.email:
            place = report.place
            body = (
                f"Bonjour,\n\nVous nous avez signalé une erreur sur la fiche « {place.name} » "
                f"le {timezone.localtime(report.created_at):%d/%m/%Y}. Elle a été traitée.\n"
            )
            if report.resolution:
                body += f"\n{report.resolution}\n"
            body += f"\nLa fiche : {_link('directory-place', place.pk)}\n\nMerci de votre aide."
            _send(
                [(f"« {place.name} » : votre signalement est traité", body, None, [report.email])]
            )
    return True


# Demo ------------------------------------------------------------------------------------------


def load_demo_claims() -> list[str]:
    """A pending claim by the demo médiateur and an open error report on demo places, so the
    demo shows a moderator's decisions and the reports queue with something in them. Written
    directly (nobody is e-mailed); run again, it adds nothing."""
    from .demo import DEMO_MEDIATEUR

    user = get_user_model().objects.filter(username=DEMO_MEDIATEUR).first()
    mine = Place.objects.filter(is_demo=True, structure__memberships__user=user).first()
    other = (
        Place.objects.filter(is_demo=True)
        .exclude(structure__memberships__isnull=False)
        .order_by("pk")
        .first()
    )
    if user is None or mine is None or other is None or user.place_claims.exists():
        return []
    PlaceClaim.objects.create(
        place=other, user=user, message="Démonstration : je suis le médiateur de ce lieu."
    )
    ErrorReport.objects.get_or_create(
        place=mine,
        kind=ErrorReport.Kind.HOURS,
        defaults={"message": "Démonstration : le lieu ferme désormais à 17 h le mercredi."},
    )
    return [
        f"Démonstration : une demande « C’est mon lieu » pour « {other.name} », "
        f"une erreur signalée sur « {mine.name} »"
    ]
