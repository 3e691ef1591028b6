"""Forms of registrations: the public's (least data, explicit consent), an organiser's in
person, attendance and walk-in counts after the session."""

from django import forms
from django.conf import settings

from actors import standard

from .models import Audience, Registration


class RegistrationForm(forms.Form):
    """A registration with the least personal data that works: a name or pseudonym and one
    contact. `in_person`: an organiser registers someone who consented orally (no checkbox
    for them to tick, the organiser confirms it)."""

    name = forms.CharField(
        label="Nom ou pseudonyme",
        max_length=100,
        help_text="Ce qui permet à l’animateur de vous accueillir, un prénom suffit.",
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        help_text="Pour recevoir la confirmation, un rappel et le lien d’annulation. "
        "Format attendu : nom@domaine.fr",
        error_messages={
            "invalid": "Adresse électronique impossible : écrivez-la sous la forme nom@domaine.fr."
        },
    )
    phone = forms.CharField(
        label="Ou téléphone",
        max_length=30,
        required=False,
        help_text="Si vous n’avez pas d’adresse électronique : "
        + standard.PHONE_HELP
        + ". L’organisateur vous appellera en cas de changement.",
    )
    audience = forms.ChoiceField(
        label="Vous êtes (facultatif)",
        choices=[("", "— ne pas préciser —"), *Audience.choices],
        required=False,
        help_text="Sert seulement à compter les participants par public.",
    )
    needs = forms.CharField(
        label="Besoins particuliers (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : accès en fauteuil, besoin d’un ordinateur prêté, "
        "interprète. N’indiquez pas d’information de santé.",
    )
    consent = forms.BooleanField(
        label="",  # set in __init__: it says the purpose and the retention period
        error_messages={
            "required": "Cochez cette case pour vous inscrire : sans votre accord, nous ne "
            "pouvons pas garder votre inscription."
        },
    )

    def __init__(self, *args, in_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        months = settings.HUB_TRAINING_DATA_MONTHS
        if in_person:
            self.fields["consent"].label = (
                "La personne a accepté que son nom et son contact soient gardés pour organiser "
                f"cette session, puis effacés {months} mois après."
            )
            self.fields["name"].help_text = "Un prénom ou un pseudonyme suffit."
        else:
            self.fields["consent"].label = (
                "J’accepte que mon nom et mon contact soient utilisés par l’organisateur "
                "uniquement pour cette session (confirmation, rappel, liste d’attente), puis "
                f"effacés {months} mois après elle."
            )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        number = standard.phone_number(phone)
        if not number:
            raise forms.ValidationError(
                f"Numéro de téléphone impossible : « {phone} ». Indiquez {standard.PHONE_HELP}."
            )
        return number

    def clean(self):
        data = super().clean()
        typed = "email" in self.errors or "phone" in self.errors  # a contact, mistyped
        if not typed and not data.get("email") and not data.get("phone"):
            self.add_error(
                "email", "Indiquez une adresse électronique ou, à défaut, un numéro de téléphone."
            )
        return data


ATTENDANCE_CHOICES = [("", "non renseigné"), *Registration.Attendance.choices]


class AttendanceForm(forms.Form):
    """One attendance field per confirmed registration, one walk-in count per audience."""

    def __init__(self, *args, registrations=(), walk_ins=None, **kwargs):
        super().__init__(*args, **kwargs)
        walk_ins = walk_ins or {}
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[f"presence_{registration.pk}"] = forms.ChoiceField(
                label=f"Présence de {registration.name or 'participant effacé'}",
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=registration.attendance,
            )
        for value, label in Audience.choices:
            self.fields[f"sans_inscription_{value}"] = forms.IntegerField(
                label=f"Venus sans inscription : {label}",
                min_value=0,
                max_value=10_000,
                required=False,
                initial=walk_ins.get(value) or None,
                error_messages={"min_value": "Indiquez un nombre positif ou laissez vide."},
            )

    def rows(self):
        """(registration, its attendance field), for the table."""
        return [(r, self[f"presence_{r.pk}"]) for r in self.registrations]

    def walk_in_fields(self):
        return [self[f"sans_inscription_{value}"] for value, _ in Audience.choices]

    def marks(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data[f"presence_{r.pk}"] for r in self.registrations}

    def walk_ins(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"sans_inscription_{value}"] or 0
            for value, _ in Audience.choices
        }
