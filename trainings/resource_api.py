"""Public read API of the resources library: published resources with the library's search and
facets' filters, and the collections. Writes are not opened here (the API denies by default)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from . import resources as library
from .models import Collection, Resource

CRITERIA = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Mots cherchés (accents ignorés, "
                     "formes proches : « smartphones » trouve « smartphone »)."),
    OpenApiParameter("type", OpenApiTypes.STR, many=True,
                     description="Type : " + ", ".join(Resource.Kind.values)),
    OpenApiParameter("public", OpenApiTypes.STR, many=True,
                     description="Grand public : " + ", ".join(Resource.PublicAudience.values)),
    OpenApiParameter("pro", OpenApiTypes.STR, many=True, description="Professionnels : "
                     + ", ".join(Resource.ProfessionalAudience.values)),
    OpenApiParameter("theme", OpenApiTypes.STR, many=True,
                     description="Thème, par son identifiant (par ex. securite-numerique)."),
    OpenApiParameter("licence", OpenApiTypes.STR, many=True,
                     description="Licence : " + ", ".join(Resource.Licence.values)),
    OpenApiParameter("niveau", OpenApiTypes.STR, many=True,
                     description="Niveau de langue : " + ", ".join(Resource.Level.values)),
]  # fmt: skip


class ResourceSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind", help_text="Type de ressource.")
    type_label = serializers.CharField(source="get_kind_display", help_text="Type, en clair.")
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    licence_label = serializers.CharField(source="get_licence_display")
    level_label = serializers.CharField(source="get_level_display")
    file_url = serializers.SerializerMethodField(help_text="Adresse de téléchargement du fichier.")
    page_url = serializers.SerializerMethodField(help_text="Page de la ressource sur le hub.")
    rating_mean = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Utilité moyenne selon les lecteurs (1 à 4)."
    )
    rating_count = serializers.IntegerField(read_only=True, help_text="Nombre d’avis.")

    class Meta:
        model = Resource
        fields = [
            "slug", "title", "summary", "type", "type_label", "public_audiences",
            "professional_audiences", "themes", "licence", "licence_label", "level",
            "level_label", "publisher", "url", "file_url", "page_url", "published_at",
            "rating_mean", "rating_count", "is_demo",
        ]  # fmt: skip

    def get_file_url(self, resource) -> str | None:
        if not resource.file:
            return None
        return self.context["request"].build_absolute_uri(
            f"/ressources/{resource.slug}/telecharger/"
        )

    def get_page_url(self, resource) -> str:
        return self.context["request"].build_absolute_uri(f"/ressources/{resource.slug}/")


class CollectionSerializer(serializers.ModelSerializer):
    resources = serializers.SerializerMethodField(
        help_text="Identifiants des ressources publiées, dans l’ordre de la collection."
    )

    class Meta:
        model = Collection
        fields = ["slug", "title", "summary", "resources", "is_demo"]

    def get_resources(self, collection) -> list[str]:
        return [
            item.resource.slug
            for item in collection.items.all()
            if item.resource.state == Resource.State.PUBLISHED
        ]


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema_view(
    list=extend_schema(
        description="Les ressources publiées de la bibliothèque (guides, fiches, vidéos, "
        "exercices, repères par âge…), avec les filtres de la page /ressources/ : les valeurs "
        "d’un même filtre s’ajoutent (ou), les filtres se combinent (et). Une valeur inconnue "
        "est ignorée. Avec `q`, les plus pertinentes d’abord.",
        parameters=CRITERIA,
    ),
    retrieve=extend_schema(description="Une ressource publiée, par son identifiant."),
)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Published resources of the library; public reading, opened on purpose."""

    permission_classes = [AllowAny]
    serializer_class = ResourceSerializer
    pagination_class = Pagination
    filter_backends = []
    lookup_field = "slug"

    def get_queryset(self):
        resources = Resource.objects.published()
        if self.action == "list":
            form = library.SearchForm(self.request.query_params)
            form.is_valid()  # unknown values are dropped, as on the page
            resources = library.search(form.cleaned_data).resources
        return library.with_feedback(resources).prefetch_related("themes")


@extend_schema_view(
    list=extend_schema(
        description="Les collections de la bibliothèque (kit des parents, repères par âge, "
        "premiers pas des enseignants…), chacune avec ses ressources publiées dans l’ordre."
    ),
    retrieve=extend_schema(description="Une collection, par son identifiant."),
)
class CollectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published collections of the library; public reading, opened on purpose."""

    permission_classes = [AllowAny]
    serializer_class = CollectionSerializer
    pagination_class = Pagination
    filter_backends = []
    lookup_field = "slug"

    def get_queryset(self):
        return Collection.objects.filter(published=True).prefetch_related("items__resource")
