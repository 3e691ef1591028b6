"""Forms of the trainings' management pages: a training, and a session of it."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts.rules import territory
from actors.models import Membership, Place, Structure
from equipment.models import School

from .models import Audience, Session, Theme, Training

DSDEN = "dsden:"
STRUCTURE = "structure:"


def at_least_one(field, message: str) -> None:
    field.validators.append(MinValueValidator(1, message))
    field.widget.attrs["min"] = 1


class TrainingForm(forms.ModelForm):
    """A training; its organiser among the structures the person keeps and the DSDEN of the
    départements they cover (DSDEN staff)."""

    organiser = forms.ChoiceField(label="Organisée par")
    audiences = forms.MultipleChoiceField(
        label="Publics", choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Training
        fields = ["title", "summary", "audiences", "themes", "level", "duration_minutes"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"title": {"required": "Donnez un titre à la formation."}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        at_least_one(self.fields["duration_minutes"], "La durée doit être d’au moins une minute.")
        choices = [
            (f"{STRUCTURE}{s.pk}", s.name) for s in Structure.objects.editable_by(user)[:200]
        ]
        area = territory(user, roles.DSDEN_STAFF)
        choices += [(f"{DSDEN}{code}", f"DSDEN ({code})") for code in sorted(area.departements)]
        current = self.instance
        if current.pk:
            mine = (
                f"{STRUCTURE}{current.structure_id}"
                if current.structure_id
                else f"{DSDEN}{current.organiser_departement}"
            )
            if mine not in dict(choices):  # kept by a moderator: the organiser stays
                choices.insert(0, (mine, current.organiser_name))
            self.initial["organiser"] = mine
        self.fields["organiser"].choices = choices

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        if value.startswith(STRUCTURE):
            self.instance.structure = Structure.objects.get(pk=int(value[len(STRUCTURE) :]))
            self.instance.organiser_departement = ""
        else:
            self.instance.structure = None
            self.instance.organiser_departement = value[len(DSDEN) :]
        return value


class SessionForm(forms.ModelForm):
    """A session: where (a place of the organiser, a school by its UAI, or online), the day and
    hours (Europe/Paris), seats and who may see it."""

    VENUES = [
        ("lieu", "Dans un lieu d’aide"),
        ("ecole", "Dans une école"),
        ("en_ligne", "En ligne"),
    ]

    venue = forms.ChoiceField(label="Où", choices=VENUES, widget=forms.RadioSelect)
    uai = forms.CharField(
        label="UAI de l’école",
        required=False,
        max_length=8,
        help_text="pour une session dans une école, par exemple 0280123A",
    )
    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="Heure de fin", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_on = forms.DateField(
        label="Inscriptions jusqu’au",
        required=False,
        help_text="vide : jusqu’au début de la session",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Session
        fields = [
            "training",
            "place",
            "online_url",
            "room",
            "capacity",
            "is_public",
            "facilitators",
        ]
        error_messages = {"capacity": {"required": "Indiquez le nombre de places."}}
        widgets = {"facilitators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["training"].queryset = Training.objects.editable_by(user)
        self.fields["training"].empty_label = "Choisir une formation"
        self.fields["place"].queryset = Place.objects.filter(
            structure__in=Structure.objects.editable_by(user)
        ).select_related("commune")
        self.fields["place"].required = False
        self.fields["place"].empty_label = "Choisir un lieu"
        at_least_one(self.fields["capacity"], "Il faut au moins une place.")
        session = self.instance
        self._offer_facilitators(session)
        if session.pk:
            start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            self.initial.update(
                venue="en_ligne" if session.is_online else "ecole" if session.school_id else "lieu",
                uai=session.school.uai if session.school_id else "",
                day=start.date(),
                start=start.time(),
                end=end.time(),
                closes_on=timezone.localtime(session.registration_closes_at).date()
                if session.registration_closes_at
                else None,
            )
            if session.place_id and not self.fields["place"].queryset.filter(pk=session.place_id):
                self.fields["place"].queryset = Place.objects.filter(pk=session.place_id)

    def _offer_facilitators(self, session):
        """Who may lead the session: the user and the active members of the structures they
        keep, plus whoever already leads it (added by an administrator, say)."""
        colleagues = Q(pk=self.user.pk) | Q(
            memberships__structure__in=Structure.objects.editable_by(self.user),
            memberships__status=Membership.Status.ACTIVE,
        )
        if session.pk:
            colleagues |= Q(pk__in=session.facilitators.values("pk"))
        field = self.fields["facilitators"]
        field.queryset = get_user_model().objects.filter(colleagues).distinct().order_by("username")
        field.label_from_instance = lambda user: user.get_full_name() or user.username
        field.label = "Animée par"
        field.required = False
        field.help_text = ""
        if not session.pk:
            self.initial.setdefault("facilitators", [self.user.pk])

    def clean_uai(self):
        return self.cleaned_data["uai"].strip().upper()

    def clean(self):
        data = super().clean()
        venue = data.get("venue")
        session = self.instance
        session.place, session.school, session.is_online = None, None, venue == "en_ligne"
        if venue == "lieu":
            if not data.get("place"):
                self.add_error("place", "Choisissez le lieu d’aide où se tient la session.")
            session.place = data.get("place")
        elif venue == "ecole":
            session.school = self._school(data.get("uai", ""))
        elif venue == "en_ligne" and not data.get("online_url"):
            self.add_error("online_url", "Indiquez le lien de connexion de la session en ligne.")
        if venue != "lieu":
            data["place"] = None
        self._dates(data)
        return data

    def _school(self, uai: str):
        if not uai:
            self.add_error("uai", "Indiquez l’UAI de l’école où se tient la session.")
            return None
        school = School.objects.filter(uai=uai).first()
        if school is None:
            self.add_error("uai", f"Aucune école ne porte l’UAI « {uai} ».")
            return None
        training = self.cleaned_data.get("training")
        keeps_training = training is not None and training.structure_id is not None
        if not keeps_training and not School.objects.answerable_by(self.user).filter(pk=school.pk):
            self.add_error("uai", f"L’école « {school.name} » est hors de votre territoire.")
            return None
        return school

    def _dates(self, data):
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if not (day and start and end):
            return
        zone = timezone.get_current_timezone()
        starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
        ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
        if ends_at <= starts_at:
            self.add_error("end", "L’heure de fin doit être après l’heure de début.")
        kept = self.instance.pk and starts_at == self.instance.starts_at.replace(
            second=0, microsecond=0
        )
        if starts_at <= timezone.now() and not kept:  # a past session may still be corrected
            self.add_error("day", "Cette date est passée : une session se programme à l’avance.")
        closes = data.get("closes_on")
        closes_at = None
        if closes:
            closes_at = datetime.datetime.combine(closes, datetime.time(23, 59), tzinfo=zone)
            if closes_at > starts_at:
                closes_at = None
                self.add_error("closes_on", "La clôture des inscriptions doit précéder la session.")
        self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        self.instance.registration_closes_at = closes_at
