"""Forms of the action plans (a plan, an action with its funding lines) and of funding calls."""

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory

from actors.models import Structure
from cartography.models import Commune
from equipment.models import School
from hub.links import http_url_validator
from indicators.models import Indicator

from .models.catalogue import Session
from .models.funding import DigestSubscription, FundingCall
from .models.plans import Action, FundingLine, Plan
from .plans import plan_territories, planners

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVEL_FIELDS = {
    Plan.Level.COMMUNE: "commune",
    Plan.Level.EPCI: "epci",
    Plan.Level.CIRCONSCRIPTION: "circonscription",
    Plan.Level.DEPARTEMENT: "departement",
}


class PlanForm(forms.ModelForm):
    """A plan of a territory the user plans in: the level says which territory field counts."""

    class Meta:
        model = Plan
        fields = [
            "title",
            "level",
            "commune",
            "epci",
            "circonscription",
            "departement",
            "starts_on",
            "ends_on",
            "state",
            "owners",
        ]
        labels = {
            "commune": "Commune (échelon commune)",
            "epci": "EPCI (échelon EPCI)",
            "circonscription": "Circonscription (échelon circonscription)",
            "departement": "Département (échelon département)",
        }
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes, epcis, circonscriptions, departements = plan_territories(user)
        self.fields["commune"].queryset = communes
        self.fields["epci"].queryset = epcis
        self.fields["circonscription"].queryset = circonscriptions
        self.fields["departement"].queryset = departements
        for name in LEVEL_FIELDS.values():
            self.fields[name].empty_label = "—"
        self.fields["owners"].queryset = planners(user, self.instance)
        self.fields["owners"].help_text = (
            "Les agents et collectivités de vos territoires qui pilotent le plan avec vous "
            "(Ctrl ou Cmd pour en choisir plusieurs)."
        )

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level in LEVEL_FIELDS:
            wanted = LEVEL_FIELDS[level]
            if not data.get(wanted) and wanted not in self.errors:
                self.add_error(wanted, "Choisissez le territoire du plan pour cet échelon.")
            for name in LEVEL_FIELDS.values():
                if name != wanted:
                    data[name] = None  # only the level's territory is kept
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La fin du plan précède son début.")
        return data


class ActionForm(forms.ModelForm):
    """An action of a plan: the need it answers, the outside structure, the sessions."""

    class Meta:
        model = Action
        fields = [
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
            "need",
            "structure",
            "sessions",
            "diagnostic_rank",
            "diagnostic_version",
        ]
        localized_fields = ["indicator_threshold"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "need": forms.Textarea(attrs={"rows": 3}),
            "diagnostic_rank": forms.HiddenInput,
            "diagnostic_version": forms.HiddenInput,
        }
        help_texts = {
            "need": "En une ou deux phrases : le besoin constaté (diagnostic, recensement…).",
            "structure": "Une structure extérieure qui intervient, dans une école par exemple : "
            "la direction de l’école et son ERUN verront l’intervention.",
            "indicator_threshold": "L’indicateur est sous ce seuil sur le territoire visé.",
        }

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        departement = plan.departement_code
        self.fields["school"].queryset = (
            School.objects.visible_to(user)
            .filter(departement_code=departement)
            .exclude(status=School.Status.CLOSED)
            .select_related("commune")
        )
        self.fields["commune"].queryset = Commune.objects.filter(departement__code=departement)
        self.fields["indicator"].queryset = Indicator.objects.visible_to(user)
        self.fields["structure"].queryset = Structure.objects.filter(
            pk__in=Structure.objects.filter(places__commune__departement__code=departement).values(
                "pk"
            )
        )
        self.fields["sessions"].queryset = Session.objects.filter(
            Q(place__commune__departement__code=departement)
            | Q(school__departement_code=departement)
            | Q(is_online=True)
        ).select_related("training")
        self.fields["sessions"].required = False
        for name in ("school", "commune", "indicator", "structure"):
            self.fields[name].empty_label = "—"

    def clean(self):
        data = super().clean()
        if data.get("indicator") and data.get("indicator_threshold") is None:
            self.add_error("indicator_threshold", "Indiquez le seuil sous lequel est l’indicateur.")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La fin de l’action précède son début.")
        return data


class FundingLineForm(forms.ModelForm):
    class Meta:
        model = FundingLine
        fields = ["funder_kind", "funder_name", "amount"]
        localized_fields = ["amount"]  # "1 500,25" as a French person types it


FundingLines = inlineformset_factory(
    Action, FundingLine, form=FundingLineForm, extra=2, can_delete=True
)


class FundingCallForm(forms.ModelForm):
    link = forms.URLField(
        label="Lien vers l’appel",
        max_length=500,
        assume_scheme="https",
        validators=[http_url_validator],
        error_messages={"invalid": http_url_validator.message},
    )

    class Meta:
        model = FundingCall
        fields = [
            "title",
            "funder",
            "summary",
            "deadline",
            "applicants",
            "amount",
            "link",
            "departement",
        ]
        widgets = {"deadline": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = plan_territories(user)[3]
        self.fields["departement"].empty_label = "toute la France"


class DigestForm(forms.ModelForm):
    """A structure (one the user is a member of) asks for the weekly digest at an address."""

    class Meta:
        model = DigestSubscription
        fields = ["structure", "email"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.editable_by(user)

    def clean(self):
        data = super().clean()
        if (
            data.get("structure")
            and data.get("email")
            and DigestSubscription.objects.filter(
                structure=data["structure"], email__iexact=data["email"]
            ).exists()
        ):
            self.add_error("email", "Cette adresse reçoit déjà la lettre pour cette structure.")
        return data
