"""The public directory's search: one form and one function, for the pages and the API alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.gis.geos import Point, Polygon

from cartography.models import EPCI, Commune
from hub.api import parse_bbox

from . import opening, standard
from .geocoding import geocode
from .models import Place

DISTANCES = [("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]


def _choices(values, empty="Tous"):
    return [("", empty)] + [(v, v) for v in values]


class DirectoryForm(forms.Form):
    """What a person can ask the directory. Field names are the URL's (French) parameters."""

    q = forms.CharField(label="Mots-clés", required=False, max_length=100)
    besoin = forms.ChoiceField(label="Besoin", choices=_choices(standard.SERVICES), required=False)
    public = forms.ChoiceField(label="Public", choices=_choices(standard.PUBLICS), required=False)
    accompagnement_specifique = forms.ChoiceField(
        label="Prise en charge spécifique",
        choices=_choices(standard.SPECIFIC_SUPPORT, "Aucune en particulier"),
        required=False,
    )
    frais = forms.ChoiceField(label="Frais", choices=_choices(standard.FEES), required=False)
    modalite = forms.ChoiceField(
        label="Modalité d’accompagnement",
        choices=_choices(standard.ACCOMPANIMENT_MODES),
        required=False,
    )
    programme = forms.ChoiceField(
        label="Dispositif national", choices=_choices(standard.PROGRAMMES), required=False
    )
    ouvert_maintenant = forms.BooleanField(label="Ouvert maintenant", required=False)
    ouvert_samedi = forms.BooleanField(label="Ouvert le samedi", required=False)
    lieu = forms.CharField(
        label="Commune, code INSEE ou adresse",
        required=False,
        max_length=200,
        help_text="Par exemple : Chartres, 28085 ou 1 place des Halles Chartres",
    )
    epci = forms.ChoiceField(label="Intercommunalité (EPCI)", required=False)
    distance = forms.ChoiceField(
        label="Distance", choices=[("", "Dans la commune")] + DISTANCES, required=False
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    bbox = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)
        epcis = EPCI.objects.in_departement(departement.code) if departement else EPCI.objects.all()
        self.fields["epci"].choices = [("", "Toutes")] + [(e.siren, e.name) for e in epcis]

    def clean_bbox(self):
        text = self.cleaned_data["bbox"]
        if not text:
            return None
        try:
            west, south, east, north = parse_bbox(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return Polygon.from_bbox((west, south, east, north))

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError("lat et lon vont ensemble")
        data["commune"] = None
        data["point"] = None
        if data.get("lat") is not None:
            data["point"] = Point(data["lon"], data["lat"], srid=4326)
        elif data.get("lieu"):
            data["commune"] = find_commune(data["lieu"])
            if data["commune"] is None:
                found = geocode(data["lieu"], "", "")
                if found is None:
                    self.add_error(
                        "lieu", f"Aucune commune ni adresse trouvée pour « {data['lieu']} »."
                    )
                else:
                    data["point"] = Point(*found, srid=4326)
            elif data.get("distance"):
                data["point"] = data["commune"].geometry.point_on_surface
        if data["point"] is not None and not data.get("distance"):
            data["distance"] = "10"
        return data


def find_commune(text: str) -> Commune | None:
    matches = list(Commune.objects.search(text).order_by("name")[:20])
    exact = [
        c
        for c in matches
        if c.code == text.strip().upper() or standard.fold(c.name) == standard.fold(text)
    ]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    return None


@dataclass
class Search:
    places: object  # a Place queryset
    point: Point | None
    commune: Commune | None


def search(data: dict, now: datetime.datetime | None = None) -> Search:
    """Places matching a valid DirectoryForm's cleaned data; nearest first when located."""
    places = Place.objects.select_related("commune", "structure").search(data.get("q") or "")
    offer_filters = {
        "besoin": "offers__service",
        "public": "offers__publics__contains",
        "accompagnement_specifique": "offers__specific_support__contains",
        "frais": "offers__fees__contains",
        "modalite": "offers__accompaniment_modes__contains",
        "programme": "offers__programmes__contains",
    }
    for name, lookup in offer_filters.items():
        if data.get(name):
            value = data[name] if lookup.endswith("service") else [data[name]]
            places = places.filter(pk__in=Place.objects.filter(**{lookup: value}).values("pk"))
    if data.get("epci"):
        places = places.filter(commune__epci__siren=data["epci"])
    if data.get("bbox") is not None:
        # "In view" is a box: && uses the spatial index alone, where an exact spherical
        # intersection on geography costs twenty times more.
        places = places.filter(location__bboverlaps=data["bbox"])
    point = data.get("point")
    if point is not None:
        places = places.around(point, float(data["distance"]))
    elif data.get("commune") is not None:
        places = places.filter(commune=data["commune"])
    now = now or opening.local_now()
    if data.get("ouvert_maintenant"):
        places = _by_hours(places, lambda text: opening.is_open(text, now))
    if data.get("ouvert_samedi"):
        saturday = opening.next_weekday(5, now.date())
        places = _by_hours(places, lambda text: opening.open_on(text, saturday))
    if point is None:
        places = places.order_by("name", "pk")
    return Search(places, point, data.get("commune"))


def _by_hours(places, keep):
    """Evaluate each distinct opening-hours text once, then filter in SQL."""
    texts = places.order_by().values_list("opening_hours", flat=True).distinct()
    return places.filter(opening_hours__in=[t for t in texts if keep(t)])


def distance_km(place) -> str | None:
    distance = getattr(place, "distance", None)
    if distance is None:
        return None
    km = distance.km
    return f"{km:.1f} km".replace(".", ",") if km < 10 else f"{km:.0f} km"
