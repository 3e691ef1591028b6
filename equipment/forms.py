"""The census form: one source for the web form and the rows of uploaded spreadsheets."""

from django import forms

from .models import DEVICE_KINDS, Campaign, CensusAnswer, School

CENSUS_FIELDS = [
    "pupils",
    *[f"{kind}_{part}" for kind, _ in DEVICE_KINDS for part in ("total", "pupils")],
    "fleet_age",
    "connection",
    "download_mbps",
    "wifi",
    "platform",
    "platform_other",
    "digital_referent",
    "trained_staff",
    "needs",
]


COUNTS = [f"{kind}_{part}" for kind, _ in DEVICE_KINDS for part in ("total", "pupils")]
COUNTS.append("trained_staff")


class CensusAnswerForm(forms.ModelForm):
    class Meta:
        model = CensusAnswer
        fields = CENSUS_FIELDS
        widgets = {"needs": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in DEVICE_KINDS:
            self.fields[f"{kind}_total"].label = f"{label[0].upper()}{label[1:]} : nombre total"
            self.fields[
                f"{kind}_pupils"
            ].label = f"{label[0].upper()}{label[1:]} : dont utilisables par les élèves"
        for name in COUNTS:
            self.fields[name].required = False  # an empty count means none
        self.fields["pupils"].help_text = "effectif de la rentrée"
        speed = self.fields["download_mbps"]
        speed.localize = speed.widget.is_localized = True  # "95,5" as people write it in French
        speed.widget.input_type = "text"
        speed.widget.attrs["inputmode"] = "decimal"
        speed.help_text = (
            "mesuré sur un poste de l'école (par ex. avec un test de débit), en Mbit/s"
        )

    def clean(self):
        data = super().clean()
        for name in COUNTS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data

    def device_rows(self):
        """(label, total field, pupils field) per kind of device, for a compact table."""
        return [
            (label, self[f"{kind}_total"], self[f"{kind}_pupils"]) for kind, label in DEVICE_KINDS
        ]


class CampaignForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="Types d'établissement interrogés",
        choices=School.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(School.PRIMARY_KINDS),
    )

    class Meta:
        model = Campaign
        fields = ["school_year", "title", "opens_on", "closes_on", "kinds"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
