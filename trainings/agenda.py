"""The public agenda's search: one form and one function for the page, the printable list, the
iCalendar feed and the API alike."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Q

from actors.directory import centre
from cartography import search as communes_search

from .models import Audience, Session, Theme

DISTANCES = [("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]
DEFAULT_KM = "20"


class AgendaForm(forms.Form):
    """What a person asks the agenda. Field names are the URL's (French) parameters."""

    lieu = forms.CharField(
        label="Commune ou code postal",
        required=False,
        max_length=200,
        help_text="Par exemple : Dreux ou 28100",
    )
    distance = forms.ChoiceField(
        label="Distance", choices=DISTANCES, required=False, initial=DEFAULT_KM
    )
    public = forms.ChoiceField(
        label="Public", choices=[("", "Tous")] + Audience.choices, required=False
    )
    theme = forms.ChoiceField(label="Thème", required=False)
    du = forms.DateField(
        label="À partir du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label="Jusqu’au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # "Autour de moi" (the browser's position, with JavaScript) and links by INSEE code.
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    insee = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("distance"):
            # The distance searched is the one the select shows (a bound form has no initial).
            data = data.copy()
            data["distance"] = DEFAULT_KM
        super().__init__(data, *args, **kwargs)
        self.fields["theme"].choices = [("", "Tous")] + [
            (t.slug, t.name) for t in Theme.objects.all()
        ]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError("La position « autour de moi » est incomplète.")
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", "La date de fin de la recherche est avant sa date de début.")
        data["point"], data["communes"], data["lookup"] = None, [], None
        if data.get("lat") is not None:
            data["point"] = Point(data["lon"], data["lat"], srid=4326)
        elif data.get("lieu") or data.get("insee"):
            lookup = (
                communes_search.find(data["lieu"], departement=settings.HUB_DEFAULT_DEPARTEMENT)
                if data.get("lieu")
                else communes_search.by_insee_code(data["insee"])
            )
            data["lookup"] = lookup
            if not lookup.found:
                self.add_error("lieu", f"Aucune commune trouvée pour « {lookup.text} ».")
            else:
                data["communes"] = lookup.communes
                data["point"] = lookup.point or centre(lookup.communes)
        return data


def search(data: dict, user, now: datetime.datetime | None = None):
    """Upcoming sessions `user` may see matching a valid AgendaForm's cleaned data, soonest
    first, with their seats. Near a commune: in it, or within the distance of its centre;
    online sessions are then left out (they are near nobody)."""
    sessions = (
        Session.objects.visible_to(user)
        .upcoming(now)
        .with_seats()
        .select_related(
            "training",
            "training__structure",
            "place",
            "place__commune",
            "school",
            "school__commune",
        )
        .prefetch_related("training__themes")
    )
    if data.get("public"):
        sessions = sessions.for_audience(data["public"])
    if data.get("theme"):
        sessions = sessions.filter(training__themes__slug=data["theme"])
    if data.get("du"):
        sessions = sessions.filter(starts_at__date__gte=data["du"])
    if data.get("au"):
        sessions = sessions.filter(starts_at__date__lte=data["au"])
    point, communes = data.get("point"), data.get("communes") or []
    if point is not None:
        km = float(data.get("distance") or DEFAULT_KM)
        near = Session.objects.near(point, km).values("pk")
        here = Q(pk__in=near)
        if communes:
            here |= Q(place__commune__in=communes) | Q(school__commune__in=communes)
        sessions = sessions.filter(here)
    elif communes:
        sessions = sessions.filter(Q(place__commune__in=communes) | Q(school__commune__in=communes))
    return sessions
