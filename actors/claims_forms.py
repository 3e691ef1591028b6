"""Forms of "C'est mon lieu", of an error report and of its resolution."""

from django import forms

from .models import ErrorReport

MESSAGE_HELP = "Par exemple : votre rôle dans le lieu, un numéro où vous joindre."


class PlaceClaimForm(forms.Form):
    message = forms.CharField(
        label="Message pour la personne qui examinera votre demande (facultatif)",
        help_text=MESSAGE_HELP,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ErrorReportForm(forms.ModelForm):
    """What is wrong (a kind, and words for "something else"), and an optional address to be
    told when it is fixed."""

    class Meta:
        model = ErrorReport
        fields = ["kind", "message", "email", "notify_reporter"]
        labels = {
            "kind": "Qu’est-ce qui est faux ?",
            "message": "Précisez ce qui est faux (obligatoire pour « Autre chose »)",
            "email": "Votre adresse électronique (facultatif)",
            "notify_reporter": "Me prévenir par courriel quand la fiche est corrigée",
        }
        help_texts = {
            "message": "Par exemple : les nouveaux horaires, le bon numéro de téléphone.",
            "email": "Seulement pour vous répondre ou vous prévenir ; format : nom@domaine.fr",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "kind": {"required": "Choisissez ce qui est faux."},
            "email": {
                "invalid": "Saisissez une adresse électronique valide, comme nom@domaine.fr."
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ErrorReport.Kind.choices  # no empty "---------" choice
        if user is not None and user.is_authenticated and user.email:
            self.fields["email"].initial = user.email

    def clean(self):
        data = super().clean()
        if data.get("kind") == ErrorReport.Kind.OTHER and not data.get("message", "").strip():
            self.add_error("message", "Décrivez ce qui est faux.")
        if data.get("notify_reporter") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Indiquez votre adresse électronique pour être prévenu.")
        return data


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="Ce qui a été fait (facultatif, transmis au signalant s’il l’a demandé)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
