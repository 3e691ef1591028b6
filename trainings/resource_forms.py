"""Forms of the resources library: a proposal (or its edit), a reader's rating and report."""

from django import forms

from hub.links import http_url_validator

from .models import Rating, Resource, ResourceReport, Theme, Training
from .resources import ALLOWED_LABEL, MAX_FILE_BYTES, check_upload


class HttpUrlField(forms.URLField):
    """A web address shown to every reader: http(s) only, one clear message otherwise."""

    default_validators = [http_url_validator]
    default_error_messages = {"invalid": http_url_validator.message}


class ResourceForm(forms.ModelForm):
    """A resource as a contributor proposes it: a file or an http(s) link (one is needed)."""

    public_audiences = forms.MultipleChoiceField(
        label="Pour le grand public",
        choices=Resource.PublicAudience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    professional_audiences = forms.MultipleChoiceField(
        label="Pour les professionnels",
        choices=Resource.ProfessionalAudience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    url = HttpUrlField(
        label="Lien vers la ressource (http:// ou https://)",
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    trainings = forms.ModelMultipleChoiceField(
        label="Formations liées (facultatif)",
        queryset=Training.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Resource
        fields = [
            "title", "summary", "kind", "public_audiences", "professional_audiences", "themes",
            "licence", "level", "publisher", "url", "file", "trainings",
        ]  # fmt: skip
        help_texts = {
            "file": f"{ALLOWED_LABEL}, {MAX_FILE_BYTES // (1024 * 1024)} Mo au plus. "
            "Un fichier ou un lien est nécessaire.",
            "publisher": "Par exemple : Cnil, Pix, e-Enfance.",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "file": forms.FileInput,
        }
        error_messages = {
            "title": {"required": "Donnez un titre à la ressource."},
            "summary": {"required": "Résumez la ressource en quelques phrases."},
            "kind": {"required": "Choisissez le type de ressource."},
            "licence": {"required": "Choisissez la licence de la ressource."},
        }

    def __init__(self, *args, user=None, trainings=None, **kwargs):
        """`trainings`: those offered (default: the ones `user` sees; none without a user)."""
        super().__init__(*args, **kwargs)
        if trainings is None:
            trainings = (
                Training.objects.visible_to(user) if user is not None else Training.objects.none()
            )
            if not trainings.exists():  # nothing to offer: no empty question
                del self.fields["trainings"]
        if "trainings" in self.fields:
            self.fields["trainings"].queryset = trainings

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            self.file_type = check_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("public_audiences") and not data.get("professional_audiences"):
            self.add_error("public_audiences", "Cochez au moins un public.")
        given = data.get("url") or data.get("file")
        if not given and "url" not in self.errors and "file" not in self.errors:
            self.add_error("url", "Donnez un lien ou joignez un fichier.")
        return data

    def save(self, commit=True):
        resource = super().save(commit=False)
        if getattr(self, "file_type", None):
            resource.file_type = self.file_type
        if commit:
            resource.save()
            self.save_m2m()
        return resource


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label="Cette ressource vous a-t-elle été utile ?",
        choices=Rating.Value.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une note de 1 à 4.",
            "invalid_choice": "Choisissez une note de 1 à 4.",
        },
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = ResourceReport
        fields = ["kind", "message", "email"]
        labels = {
            "kind": "Quel est le problème ?",
            "message": "Précisez (obligatoire pour « Autre chose »)",
            "email": "Votre adresse électronique (facultatif, pour vous répondre)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "kind": {"required": "Choisissez le problème."},
            "email": {
                "invalid": "Saisissez une adresse électronique valide, comme nom@domaine.fr."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ResourceReport.Kind.choices

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResourceReport.Kind.OTHER and not data.get("message", "").strip():
            self.add_error("message", "Décrivez le problème.")
        return data
