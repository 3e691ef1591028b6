"""Read API of action plans (scoped: `visible_to`, deny by default, 404 outside) and of
funding calls (public)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from .models.funding import FundingCall
from .models.plans import Action, FundingLine, Plan
from .plans import need_text


class Pages(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class FundingLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingLine
        fields = ["funder_kind", "funder_name", "amount"]


class ActionSerializer(serializers.ModelSerializer):
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="somme des financements"
    )
    need_text = serializers.SerializerMethodField(help_text="le besoin en toutes lettres")
    school = serializers.SlugRelatedField(slug_field="uai", read_only=True)
    commune = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    structure = serializers.StringRelatedField()
    funding_lines = FundingLineSerializer(many=True, read_only=True)
    sessions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "title",
            "kind",
            "status",
            "priority",
            "starts_on",
            "ends_on",
            "school",
            "commune",
            "indicator",
            "indicator_threshold",
            "diagnostic_rank",
            "diagnostic_version",
            "need",
            "need_text",
            "structure",
            "sessions",
            "funding_lines",
            "budget",
        ]

    def get_need_text(self, action) -> str:
        return need_text(action)


class PlanSerializer(serializers.ModelSerializer):
    territory = serializers.CharField(source="territory_label", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "level",
            "territory",
            "departement_code",
            "epci_code",
            "commune_code",
            "starts_on",
            "ends_on",
            "state",
        ]


class FundingCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingCall
        fields = [
            "id",
            "title",
            "funder",
            "summary",
            "deadline",
            "applicants",
            "amount",
            "link",
            "departement",
            "is_demo",
        ]


@extend_schema_view(
    list=extend_schema(
        description="Les plans d’action territoriaux que vous pouvez consulter : ceux de votre "
        "territoire (DSDEN, collectivités, administrateurs), ceux que vous pilotez, et ceux "
        "dont une action touche une école que vous dirigez ou suivez (ERUN). Connexion requise."
    ),
    retrieve=extend_schema(description="Un plan d’action (404 s’il ne vous concerne pas)."),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]  # then scoped by visible_to
    serializer_class = PlanSerializer
    pagination_class = Pages

    def get_queryset(self):
        return (
            Plan.objects.visible_to(self.request.user)
            .select_related("commune", "epci", "circonscription", "departement")
            .order_by("-starts_on", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        description="Les actions des plans que vous pouvez consulter, avec le besoin auquel "
        "chacune répond, ses financements et son budget (leur somme). Filtre : `plan` "
        "(identifiant)."
    ),
    retrieve=extend_schema(description="Une action (404 si elle ne vous concerne pas)."),
)
class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ActionSerializer
    pagination_class = Pages
    filterset_fields = ["plan"]

    def get_queryset(self):
        return (
            Action.objects.visible_to(self.request.user)
            .with_budget()
            .select_related("school", "commune", "indicator", "structure")
            .prefetch_related("funding_lines", "sessions")
            .order_by("plan", "priority", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        description="Les appels à projets ouverts, ceux qui ferment bientôt en premier ; "
        "`clos=1` ajoute les appels clos. Public."
    ),
    retrieve=extend_schema(description="Un appel à projets."),
)
class FundingCallViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]  # public information, opened on purpose
    serializer_class = FundingCallSerializer
    pagination_class = Pages

    def get_queryset(self):
        calls = FundingCall.objects.closing_first()
        if self.action == "list" and self.request.query_params.get("clos") != "1":
            calls = calls.open(timezone.localdate())
        return calls
