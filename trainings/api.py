"""Read API of the agenda: sessions (the agenda's filters) and trainings. Open for public
sessions; internal ones only to those who see them on the site (`visible_to`)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from .agenda import AgendaForm, search
from .models import Session, Training


class TrainingSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organiser = serializers.CharField(source="organiser_name", read_only=True)
    level = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "summary",
            "audiences",
            "themes",
            "level",
            "duration_minutes",
            "organiser",
            "is_demo",
        ]


@extend_schema_field(OpenApiTypes.OBJECT)
class VenueField(serializers.Field):
    """Where a session is held: kind (lieu, ecole, en_ligne), name, commune, position."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, session):
        if session.is_online:
            return {"kind": "en_ligne"}
        venue = session.venue
        commune = venue.commune
        location = venue.location
        return {
            "kind": "lieu" if session.place_id else "ecole",
            "id": session.place_id or venue.uai,
            "name": venue.name,
            "address": getattr(venue, "address", ""),
            "commune": commune.name if commune else None,
            "insee": commune.code if commune else None,
            "latitude": round(location.y, 6) if location else None,
            "longitude": round(location.x, 6) if location else None,
        }

    def to_internal_value(self, data):  # pragma: no cover - read only
        raise NotImplementedError


class SessionSerializer(serializers.ModelSerializer):
    training = TrainingSerializer(read_only=True)
    venue = VenueField()
    seats_left = serializers.IntegerField(read_only=True)
    registration_open = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "training",
            "starts_at",
            "ends_at",
            "venue",
            "room",
            "capacity",
            "seats_left",
            "is_public",
            "registration_closes_at",
            "registration_open",
            "cancelled",
            "url",
        ]

    def get_registration_open(self, session) -> bool:
        return session.registration_open()

    def get_url(self, session) -> str:
        path = reverse("trainings:session", args=[session.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AgendaPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


FILTERS = [
    OpenApiParameter("lieu", str, description="Commune (nom, fautes tolérées) ou code postal"),
    OpenApiParameter("insee", str, description="Une commune par son code INSEE"),
    OpenApiParameter("distance", str, description="Rayon autour de la commune : 5, 10, 20, 50 km"),
    OpenApiParameter("lat", float, description="Latitude (avec lon : autour d’une position)"),
    OpenApiParameter("lon", float, description="Longitude"),
    OpenApiParameter(
        "public",
        str,
        description="Public : parents, enseignants, jeunes, seniors, mediateurs, tout_public",
    ),
    OpenApiParameter("theme", str, description="Thème, par son identifiant (ex. smartphone)"),
    OpenApiParameter("du", str, description="Séances à partir de cette date (AAAA-MM-JJ)"),
    OpenApiParameter("au", str, description="Séances jusqu’à cette date (AAAA-MM-JJ)"),
]


@extend_schema_view(
    list=extend_schema(
        description="Les séances à venir de l’agenda des ateliers, par date de début. "
        "Filtres : `lieu` (commune ou code postal), `insee`, `distance` (km autour de la "
        "commune), `lat`/`lon` (autour d’une position), `public`, `theme`, `du`, `au`. Ouvert "
        "à tous pour les séances publiques ; les séances internes (réservées, par exemple, aux "
        "enseignants d’une école) ne sont listées qu’aux membres de la structure organisatrice, "
        "à leurs animateurs et aux agents DSDEN de leur territoire. Les places restantes sont "
        "des nombres : jamais le nom d’un participant.",
        parameters=FILTERS,
    ),
    retrieve=extend_schema(
        description="Une séance (même passée), si elle est publique ou visible pour vous."
    ),
)
class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions of the agenda (upcoming in the list), scoped by `Session.visible_to`."""

    permission_classes = [AllowAny]  # reading opened on purpose; scope by queryset
    serializer_class = SessionSerializer
    pagination_class = AgendaPagination
    filter_backends = []

    def get_queryset(self):
        if self.action != "list":
            return (
                Session.objects.visible_to(self.request.user)
                .with_seats()
                .select_related("training__structure", "place__commune", "school__commune")
                .prefetch_related("training__themes")
            )
        form = AgendaForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return search(form.cleaned_data, self.request.user, timezone.now())


@extend_schema_view(
    list=extend_schema(
        description="Les formations qui ont au moins une séance visible pour vous (publique, "
        "ou de votre structure ou territoire), et celles que vous organisez. Filtres : "
        "`public`, `theme`.",
        parameters=FILTERS[5:7],
    ),
    retrieve=extend_schema(description="Une formation."),
)
class TrainingViewSet(viewsets.ReadOnlyModelViewSet):
    """Trainings with a session the reader may see, or that they organise."""

    permission_classes = [AllowAny]  # reading opened on purpose; scope by queryset
    queryset = Training.objects.none()  # the schema's model; readers get get_queryset()
    serializer_class = TrainingSerializer
    pagination_class = AgendaPagination
    filter_backends = []

    def get_queryset(self):
        trainings = (
            Training.objects.visible_to(self.request.user)
            .select_related("structure")
            .prefetch_related("themes")
        )
        form = AgendaForm(self.request.query_params)
        # Only the training's filters: a bad value of them is a readable 400.
        errors = {k: v for k, v in form.errors.items() if k in ("public", "theme")}
        if errors:
            raise ValidationError({k: [str(e) for e in v] for k, v in errors.items()})
        if public := form.cleaned_data.get("public"):
            trainings = trainings.filter(audiences__contains=[public])
        if theme := form.cleaned_data.get("theme"):
            trainings = trainings.filter(themes__slug=theme)
        return trainings.order_by("title", "pk")
