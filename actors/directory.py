"""The public directory's search: one form and one function, for the pages and the API alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Least

from cartography import search as communes_search
from cartography.models import EPCI, Commune
from hub.api import parse_bbox

from . import opening, standard
from .geocoding import geocode
from .models import Place, Stop

DISTANCES = [("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]
NEAREST_BEYOND = 3  # places offered beyond the distance when nothing is within it
NEAREST_BEYOND_KM = 150


def _choices(values, empty="Tous"):
    return [("", empty)] + [(v, v) for v in values]


def geocoder():
    """The address search, when a national address API is configured (None otherwise)."""
    if not settings.HUB_GEOCODER_URL:
        return None
    return lambda text: geocode(text, "", "")


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
    niveau = forms.TypedChoiceField(
        label="Niveau d’accompagnement",
        choices=[("", "Tous")] + [(str(v), label) for v, label in Place.Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    programme = forms.ChoiceField(
        label="Dispositif national", choices=_choices(standard.PROGRAMMES), required=False
    )
    ouvert_maintenant = forms.BooleanField(label="Ouvert maintenant", required=False)
    ouvert_samedi = forms.BooleanField(label="Ouvert le samedi", required=False)
    lieu = forms.CharField(label="Commune ou code postal", required=False, max_length=200)
    # A commune by its INSEE code, for links from other pages (never asked of the public).
    insee = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    epci = forms.ChoiceField(label="Intercommunalité (EPCI)", required=False)
    distance = forms.ChoiceField(
        label="Distance", choices=[("", "Dans la commune")] + DISTANCES, required=False
    )
    hors_territoire = forms.BooleanField(
        label="Inclure les lieux hors des territoires couverts par le hub", required=False
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    bbox = forms.CharField(required=False, widget=forms.HiddenInput)

    # Criteria folded under "Plus de critères" (the essentials stay in view on a phone).
    MORE = (
        "ouvert_maintenant", "ouvert_samedi", "q", "public", "accompagnement_specifique",
        "frais", "modalite", "niveau", "programme", "epci", "hors_territoire",
    )  # fmt: skip

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement
        epcis = EPCI.objects.in_departement(departement.code) if departement else EPCI.objects.all()
        self.fields["epci"].choices = [("", "Toutes")] + [(e.siren, e.name) for e in epcis]
        # The label and example say what works: an address only with an address service.
        if settings.HUB_GEOCODER_URL:
            self.fields["lieu"].label = "Commune, code postal ou adresse"
            self.fields[
                "lieu"
            ].help_text = "Par exemple : Chartres, 28000 ou 1 place des Halles, Chartres"
        else:
            self.fields["lieu"].help_text = "Par exemple : Chartres ou 28000"

    def more_criteria(self):
        return [self[name] for name in self.MORE]

    def more_open(self) -> bool:
        """Whether one of the folded criteria is set (then they are shown unfolded)."""
        return self.is_bound and any(self.data.get(name) for name in self.MORE)

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
        data["communes"] = []
        data["commune"] = None
        data["point"] = None
        data["lookup"] = None
        if data.get("lat") is not None:
            data["point"] = Point(data["lon"], data["lat"], srid=4326)
        elif data.get("lieu") or data.get("insee"):
            if data.get("lieu"):
                lookup = communes_search.find(
                    data["lieu"],
                    departement=self.departement.code if self.departement else None,
                    geocode=geocoder(),
                )
            else:
                lookup = communes_search.by_insee_code(data["insee"])
            data["lookup"] = lookup
            if not lookup.found:
                self.add_error("lieu", f"Aucune commune ni adresse trouvée pour « {lookup.text} ».")
            else:
                data["communes"] = lookup.communes
                data["commune"] = lookup.commune
                data["point"] = lookup.point
                if data["point"] is None and data.get("distance"):
                    data["point"] = centre(lookup.communes)
        if data["point"] is not None and not data.get("distance"):
            data["distance"] = "10"
        return data


def centre(communes: list[Commune]) -> Point | None:
    """Where a distance is counted from: the most populated commune's (a point inside it)."""
    with_outline = [c for c in communes if c.geometry is not None]
    if not with_outline:
        return None
    return max(with_outline, key=lambda c: c.population or 0).geometry.point_on_surface


@dataclass
class Search:
    places: object  # a Place queryset
    point: Point | None
    commune: Commune | None
    communes: list = field(default_factory=list)
    outside: object = None  # the places outside the hub's territories the search left out


def search(data: dict, now: datetime.datetime | None = None) -> Search:
    """Places matching a valid DirectoryForm's cleaned data; nearest first when located.
    An itinerant place is found by its stops too (commune, EPCI, distance, map box). Places
    outside every territory of the hub are left out unless `hors_territoire` is asked."""
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
    if data.get("niveau"):
        places = places.filter(accompaniment_level=data["niveau"])
    if data.get("epci"):
        places = places.filter(_here(Q(commune__epci__siren=data["epci"])))
    if data.get("bbox") is not None:
        # "In view" is a box: && uses the spatial index alone, where an exact spherical
        # intersection on geography costs twenty times more.
        places = places.filter(_here(Q(location__bboverlaps=data["bbox"])))
    point = data.get("point")
    communes = data.get("communes") or ([data["commune"]] if data.get("commune") else [])
    if point is not None:
        places = around(places, point, float(data["distance"]))
    elif communes:
        places = places.filter(_here(Q(commune__in=communes)))
    now = now or opening.local_now()
    if data.get("ouvert_maintenant"):
        places = _by_hours(places, lambda text: opening.is_open(text, now))
    if data.get("ouvert_samedi"):
        saturday = opening.next_weekday(5, now.date())
        places = _by_hours(places, lambda text: opening.open_on(text, saturday))
    if point is None:
        places = places.order_by("name", "pk")
    outside = places.filter(commune__isnull=True)
    if not data.get("hors_territoire"):
        places = places.filter(commune__isnull=False)
    return Search(places, point, data.get("commune"), communes, outside)


def _here(condition: Q) -> Q:
    """`condition` on a place, or on one of its stops (an itinerant place is where it stops)."""
    return condition | Q(pk__in=Stop.objects.filter(condition).values("place"))


def around(places, point: Point, km: float):
    """Places (or one of their stops) within `km` of `point`, nearest first. The distance is
    the nearest of the place and its stops (index-friendly filter, then sort)."""
    near = Q(location__dwithin=(point, D(km=km)))
    stop_distance = Subquery(
        Stop.objects.filter(place=OuterRef("pk"), location__isnull=False)
        .annotate(d=Distance("location", point))
        .order_by("d")
        .values("d")[:1],
        output_field=FloatField(),
    )
    return (
        places.filter(_here(near))
        .annotate(
            distance=Least(Distance("location", point), stop_distance, output_field=FloatField())
        )
        .order_by("distance")
    )


def _by_hours(places, keep):
    """Evaluate each distinct opening-hours text once, then filter in SQL."""
    texts = places.order_by().values_list("opening_hours", flat=True).distinct()
    return places.filter(opening_hours__in=[t for t in texts if keep(t)])


def nearest_beyond(data: dict, limit: int = NEAREST_BEYOND) -> list:
    """When nothing is within the distance asked: the nearest places matching the other
    criteria, wherever they are (within a reasonable radius)."""
    point = data.get("point")
    if point is None:
        point = centre(data.get("communes") or [])
    if point is None:
        return []
    wider = {**data, "point": point, "distance": str(NEAREST_BEYOND_KM), "communes": []}
    found = list(search(wider).places[:limit])
    for place in found:
        place.distance_text = distance_km(place)
    return found


def phone_shown(phone: str) -> str:
    """ "+33237071289" as people write it: "02 37 07 12 89" (other forms as they are)."""
    digits = phone.replace(" ", "")
    if digits.startswith("+33") and len(digits) == 12 and digits[1:].isdigit():
        digits = "0" + digits[3:]
    if len(digits) == 10 and digits.isdigit():
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return phone


def distance_km(place) -> str | None:
    distance = getattr(place, "distance", None)
    if distance is None:
        return None
    km = distance.km if hasattr(distance, "km") else distance / 1000
    return f"{km:.1f} km".replace(".", ",") if km < 10 else f"{km:.0f} km"
