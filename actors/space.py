"""The médiateurs' space: claim a structure, decide on members, edit and confirm listings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.rules import require

from .claims_views import space_context
from .forms import (
    ClaimForm,
    InvitationForm,
    NewPlaceForm,
    OffersForm,
    OpeningHoursForm,
    PlaceForm,
    StopFormSet,
)
from .geocoding import geocode
from .models import DuplicateCandidate, Invitation, Membership, Place, Structure


def decidable_requests(user):
    """Pending memberships this person may approve."""
    pending = Membership.objects.filter(status=Membership.Status.PENDING).select_related(
        "structure", "user"
    )
    return [m for m in pending if user.has_perm("actors.decide_membership", m)]


@login_required
def my_space(request):
    memberships = list(
        request.user.memberships.select_related("structure").order_by("structure__name")
    )
    for membership in memberships:
        membership.can_invite = request.user.has_perm("actors.manage_members", membership)
    active = [m.structure_id for m in memberships if m.status == Membership.Status.ACTIVE]
    places = Place.objects.filter(structure__in=active).select_related("commune", "structure")
    if request.user.is_hub_admin:
        places = Place.objects.none()  # administrators work from the moderation queue and admin
    return render(
        request,
        "actors/space/home.html",
        {
            "title": "Mon espace",
            "memberships": memberships,
            "places": places.order_by("name"),
            "requests": decidable_requests(request.user),
            "duplicates": DuplicateCandidate.objects.filter(status="pending").count()
            if request.user.is_hub_admin
            else None,
            **space_context(request.user),  # claims to decide, own claims, open reports
        },
    )


@login_required
def claim(request):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        structure = form.structure_for(request.user)
        role = Membership.Role.MEMBER if structure.has_admin() else Membership.Role.ADMIN
        membership, created = Membership.objects.get_or_create(
            structure=structure, user=request.user, defaults={"role": role}
        )
        if created:
            who = (
                "un administrateur de la structure"
                if role == Membership.Role.MEMBER
                else ("un administrateur du hub")
            )
            messages.success(
                request, f"Demande envoyée pour « {structure.name} » : {who} va l’examiner."
            )
        else:
            messages.info(request, f"Vous avez déjà une demande pour « {structure.name} ».")
        return redirect("space")
    return render(
        request, "actors/space/claim.html", {"title": "Rejoindre ma structure", "form": form}
    )


@login_required
@require_POST
def decide(request, pk):
    membership = get_object_or_404(Membership, pk=pk, status=Membership.Status.PENDING)
    if not request.user.has_perm("actors.decide_membership", membership):
        raise Http404("demande inconnue")  # someone else's request: out of view, as elsewhere
    approve = request.POST.get("decision") == "approve"
    membership.decide(request.user, approve)
    verb = "acceptée" if approve else "refusée"
    messages.success(
        request, f"Demande de {membership.user} pour « {membership.structure} » {verb}."
    )
    return redirect("space")


def _editable_place(request, pk) -> Place:
    place = get_object_or_404(Place.objects.select_related("structure", "commune"), pk=pk)
    require(request.user, "actors.edit_place", place)
    return place


@login_required
def edit_place(request, pk):
    place = _editable_place(request, pk)
    initial = OpeningHoursForm.initial_for(place.opening_hours)
    data = request.POST if request.method == "POST" else None
    form = PlaceForm(data, instance=place, prefix="place")
    hours = OpeningHoursForm(data, initial=initial or {}, prefix="hours")
    offers = OffersForm(data, initial=OffersForm.initial_for(place), prefix="offers")
    stops = StopFormSet(data, instance=place, prefix="stops") if place.is_itinerant else None
    forms_ = [f for f in (form, hours, offers, stops) if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in forms_):
        with transaction.atomic():
            place = form.save(commit=False)
            if initial is not None or hours.to_osm():
                place.opening_hours = hours.to_osm()
                place.opening_hours_valid = True
            place.save()
            offers.save(place)
            if stops is not None:
                stops.save()
        messages.success(request, "Fiche enregistrée : elle est visible tout de suite.")
        return redirect("directory-place", pk=place.pk)
    return render(
        request,
        "actors/space/edit_place.html",
        {
            "title": f"Modifier « {place.name} »",
            "place": place,
            "form": form,
            "hours": hours,
            "offers": offers,
            "stops": stops,
            "hours_unfit": initial is None,
        },
    )


@login_required
@require_POST
def confirm_place(request, pk):
    place = _editable_place(request, pk)
    place.confirm()
    messages.success(request, f"Merci : « {place.name} » est confirmée à jour.")
    return redirect("space")


@login_required
def place_history(request, pk):
    place = _editable_place(request, pk)
    changes = []
    records = list(place.history.select_related("history_user").order_by("-history_date")[:50])
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if older is None:
            changes.append((newer, [("création", "", "")]))
            continue
        delta = newer.diff_against(older)
        fields = [
            (Place._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes
        ]
        if fields:
            changes.append((newer, fields))
    return render(
        request,
        "actors/space/history.html",
        {"title": f"Historique de « {place.name} »", "place": place, "changes": changes},
    )


@login_required
def invite(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    require(request.user, "actors.manage_members", structure)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = form.save(structure, request.user)
        link = request.build_absolute_uri(reverse("space-accept", args=[invitation.token]))
        send_mail(
            f"Invitation à rejoindre « {structure.name} » sur le hub de l’inclusion numérique",
            f"Bonjour,\n\n{request.user.get_username()} vous invite à tenir à jour la fiche de "
            f"« {structure.name} ». Créez votre compte ou connectez-vous, puis suivez ce lien :\n"
            f"{link}\n",
            None,
            [invitation.email],
        )
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
        return redirect("space")
    return render(
        request,
        "actors/space/invite.html",
        {"title": f"Inviter dans « {structure.name} »", "form": form, "structure": structure},
    )


@login_required
def accept(request, token):
    invitation = get_object_or_404(Invitation, token=token)
    refusal = invitation.refusal_for(request.user)
    if request.method == "POST" and not refusal:
        try:
            invitation.accept(request.user)
        except PermissionDenied as used:  # used at the same moment by someone else
            refusal = str(used)
        else:
            messages.success(request, f"Vous avez rejoint « {invitation.structure.name} ».")
            return redirect("space")
    return render(
        request,
        "actors/space/accept.html",
        {"title": "Rejoindre une structure", "invitation": invitation, "refusal": refusal},
        status=403 if refusal else 200,
    )


@login_required
def new_place(request, pk):
    """A member adds a place to their structure."""
    structure = get_object_or_404(Structure, pk=pk)
    require(request.user, "actors.edit_structure", structure)
    data = request.POST if request.method == "POST" else None
    where = NewPlaceForm(data, prefix="where")
    form = PlaceForm(data, prefix="place")
    hours = OpeningHoursForm(data, prefix="hours")
    offers = OffersForm(data, prefix="offers")
    if request.method == "POST" and all(f.is_valid() for f in (where, form, hours, offers)):
        commune = where.cleaned_data["commune"]
        place = form.save(commit=False)
        found = geocode(place.address, place.postal_code, commune.name)
        with transaction.atomic():
            place.structure = structure
            place.commune = commune
            place.commune_name = commune.name
            place.location = (
                Point(*found, srid=4326) if found else commune.geometry.point_on_surface
            )
            place.location_approximate = found is None
            place.opening_hours = hours.to_osm()
            place.updated_on = timezone.localdate()
            place.confirmed_at = timezone.now()
            place.save()
            offers.save(place)
        messages.success(request, f"« {place.name} » est ajouté à l’annuaire.")
        return redirect("directory-place", pk=place.pk)
    return render(
        request,
        "actors/space/edit_place.html",
        {
            "title": f"Ajouter un lieu à « {structure.name} »",
            "heading": f"Ajouter un lieu à « {structure.name} »",
            "where": where,
            "form": form,
            "hours": hours,
            "offers": offers,
        },
    )
