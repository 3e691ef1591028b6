"""Forms of the médiateurs' space: claiming a structure, editing a place and its hours."""

import datetime

from django import forms

from cartography.models import Commune
from hub.links import http_url_validator

from . import opening, standard
from .models import Invitation, Membership, Place, Stop, Structure

DAY_CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


class ClaimForm(forms.Form):
    siret = forms.CharField(
        label="SIRET (ou RNA) de votre structure",
        max_length=20,
        help_text="14 chiffres, sans espace ; ou W suivi de 9 caractères pour une association.",
    )
    name = forms.CharField(
        label="Nom de la structure (si elle n’est pas encore dans le hub)",
        max_length=250,
        required=False,
        help_text="Votre demande proposera alors cette nouvelle structure aux administrateurs du hub.",
    )

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "").upper()
        if not 9 <= len(siret) <= 14 or not siret.isalnum():
            raise forms.ValidationError("Un SIRET a 14 chiffres ; un RNA, W suivi de 9 caractères.")
        return siret

    def clean(self):
        data = super().clean()
        siret = data.get("siret")
        self.structure = Structure.objects.filter(siret=siret).first() if siret else None
        if siret and self.structure is None and not data.get("name"):
            self.add_error(
                "siret",
                f"Aucune structure du hub n’a le SIRET « {siret} ». Vérifiez-le, ou indiquez le "
                "nom de la structure pour la proposer.",
            )
        return data

    def structure_for(self, user) -> Structure:
        if self.structure is None:
            self.structure = Structure.objects.create(
                name=self.cleaned_data["name"], siret=self.cleaned_data["siret"], proposed_by=user
            )
        return self.structure


class NewPlaceForm(forms.Form):
    """Where a new place is: it is put on the map from its address, else its commune."""

    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.order_by("name"))


class PlaceForm(forms.ModelForm):
    # Shown as links on the public page: http(s) only, like imported addresses.
    website = forms.URLField(
        label="Site internet",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[http_url_validator],
    )
    appointment_url = forms.URLField(
        label="Prise de rendez-vous en ligne",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[http_url_validator],
    )

    class Meta:
        model = Place
        fields = [
            "name", "address", "address_complement", "postal_code", "phone", "website",
            "appointment_url", "summary", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"phone": standard.PHONE_HELP.capitalize() + "."}

    def clean_postal_code(self):
        code = standard.postal_code(self.cleaned_data["postal_code"])
        if code is None:
            raise forms.ValidationError(
                f"Code postal impossible : « {self.cleaned_data['postal_code']} ». "
                "Indiquez 5 chiffres, par exemple 28000."
            )
        return code

    def clean_phone(self):
        """Saved as the national standard writes it (+33…), so the export stays valid."""
        phone = standard.phone_number(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                f"Numéro de téléphone impossible : « {self.cleaned_data['phone']} ». "
                f"Indiquez {standard.PHONE_HELP}."
            )
        return phone


# The two columns of the hours grid: (slot number, its name in a label, in an error).
PERIODS = [(1, "du matin", "le matin"), (2, "de l’après-midi", "l’après-midi")]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh", "%H.%M", "%H", "%H%M"]  # "12" before "1230"


class HourField(forms.TimeField):
    """A 24-hour time typed as people do: "09:00", "9h30", "9", "1430"."""

    widget = forms.TimeInput

    def __init__(self, **kwargs):
        super().__init__(input_formats=TIME_FORMATS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "")
        return super().to_python(value)


class OpeningHoursForm(forms.Form):
    """A week of a morning and an afternoon slot a day, written as OpenStreetMap opening_hours.

    Each error names its day ("Mardi : …") and sits on the field to correct."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day_index, code in enumerate(DAY_CODES):
            day = opening.DAYS[day_index].capitalize()
            for n, period, _ in PERIODS:
                for end, word in (("start", "ouverture"), ("end", "fermeture")):
                    self.fields[f"{code}_{n}_{end}"] = HourField(
                        label=f"{day}, {word} {period}",
                        required=False,
                        error_messages={
                            "invalid": f"{day} : heure {'d’' if end == 'start' else 'de '}"
                            f"{word} {period} illisible, "
                            "écrivez-la sur 24 heures, par exemple 09:00 ou 14:30."
                        },
                        widget=forms.TimeInput(
                            attrs={
                                "class": "fr-input hub-hours__time",
                                "inputmode": "numeric",
                                "pattern": r"[0-9]{1,2}([:hH.]?[0-9]{2})?",
                                "maxlength": 5,
                                "size": 5,
                                "autocomplete": "off",
                                "aria-describedby": "hours-hint",
                                "data-day": code,
                                "data-slot": f"{n}_{end}",
                            },
                            format="%H:%M",
                        ),
                    )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # the wrong field says so and points at its message
                self.fields[name].widget.attrs |= {
                    "aria-invalid": "true",
                    "aria-describedby": f"hours-hint {self[name].auto_id}-errors",
                    "class": "fr-input fr-input--error hub-hours__time",
                }

    def days(self):
        """Rows for the template: one per day, its code, name, slots and errors."""
        rows = []
        for i, code in enumerate(DAY_CODES):
            fields = [self[f"{code}_{n}_{end}"] for n, _, _ in PERIODS for end in ("start", "end")]
            rows.append(
                {
                    "code": code,
                    "name": opening.DAYS[i].capitalize(),
                    "weekday": i < 5,
                    "slots": [
                        (word.removeprefix("du ").removeprefix("de l’"), fields[2 * k : 2 * k + 2])
                        for k, (_, word, _) in enumerate(PERIODS)
                    ],
                    "fields": fields,
                    "errors": [(f, e) for f in fields for e in f.errors],
                }
            )
        return rows

    def error_links(self):
        """(field, message) for each wrong field, in the grid's order: the error summary."""
        return [error for row in self.days() for error in row["errors"]]

    def clean(self):
        data = super().clean()
        self.week: dict[str, list[tuple[datetime.time, datetime.time]]] = {}
        for i, code in enumerate(DAY_CODES):
            day = opening.DAYS[i].capitalize()
            slots = []
            for n, period, name in PERIODS:
                start_name, end_name = f"{code}_{n}_start", f"{code}_{n}_end"
                if start_name in self.errors or end_name in self.errors:
                    continue  # unreadable: already said on the field
                start, end = data.get(start_name), data.get(end_name)
                if start is None and end is not None:
                    self.add_error(start_name, f"{day} : indiquez aussi l’ouverture {period}.")
                elif end is None and start is not None:
                    self.add_error(end_name, f"{day} : indiquez aussi la fermeture {period}.")
                elif start is not None:
                    if end <= start:
                        self.add_error(
                            end_name,
                            f"{day} : la fermeture {period} doit être après l’ouverture.",
                        )
                    elif slots and start < slots[-1][1]:
                        self.add_error(
                            start_name,
                            f"{day} : {name} doit commencer après la fermeture du matin.",
                        )
                    else:
                        slots.append((start, end))
            self.week[code] = slots
        return data

    def to_osm(self) -> str:
        """`Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00`: consecutive equal days grouped."""
        parts, i = [], 0
        texts = [",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.week[c]) for c in DAY_CODES]
        while i < 7:
            j = i
            while j + 1 < 7 and texts[j + 1] == texts[i]:
                j += 1
            if texts[i]:
                days = DAY_CODES[i] if i == j else f"{DAY_CODES[i]}-{DAY_CODES[j]}"
                days = f"{DAY_CODES[i]},{DAY_CODES[j]}" if j == i + 1 else days
                parts.append(f"{days} {texts[i]}")
            i = j + 1
        return "; ".join(parts)

    @staticmethod
    def initial_for(text: str) -> dict | None:
        """Slots of an existing expression over a plain week; None if it does not fit the grid.
        A day's only slot goes in the afternoon column when it starts after noon."""
        hours = opening.parse(text)
        if hours is None:
            return None if text else {}
        initial = {}
        for code, slots in zip(DAY_CODES, opening.plain_week(hours), strict=True):
            if len(slots) > len(PERIODS):
                return None
            first = 2 if len(slots) == 1 and slots[0][0] >= NOON else 1
            for n, (a, b) in enumerate(slots, start=first):
                initial[f"{code}_{n}_start"] = a
                initial[f"{code}_{n}_end"] = b
        return initial


NOON = datetime.time(12, 0)


def _checkboxes(label, values):
    return forms.MultipleChoiceField(
        label=label,
        choices=[(v, v) for v in values],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OffersForm(forms.Form):
    """What the place offers, in the national standard's words."""

    services = _checkboxes("Services proposés", standard.SERVICES)
    publics = _checkboxes("Publics spécifiquement accueillis", standard.PUBLICS)
    specific_support = _checkboxes("Prise en charge spécifique", standard.SPECIFIC_SUPPORT)
    fees = _checkboxes("Frais à charge", standard.FEES)
    accompaniment_modes = _checkboxes("Modalités d’accompagnement", standard.ACCOMPANIMENT_MODES)

    SHARED = ("publics", "specific_support", "fees", "accompaniment_modes")

    @classmethod
    def initial_for(cls, place) -> dict:
        offers = list(place.offers.order_by("position"))
        initial = {"services": [o.service for o in offers if o.service]}
        for name in cls.SHARED:
            initial[name] = list(dict.fromkeys(v for o in offers for v in getattr(o, name)))
        return initial

    def save(self, place) -> bool:
        first = place.offers.order_by("position").first()
        shared = {name: self.cleaned_data[name] for name in self.SHARED}
        # Programmes and labels are not edited here: keep what the place had.
        shared["programmes"] = first.programmes if first else []
        shared["labels"] = first.labels if first else []
        changed = place.replace_offers(self.cleaned_data["services"], shared)
        # The level of accompaniment follows the services, as on import (a directory filter).
        from .importers.places import accompaniment_level

        level = accompaniment_level(self.cleaned_data["services"], shared["accompaniment_modes"])
        if level != place.accompaniment_level:
            place.accompaniment_level = level
            place.save(update_fields=["accompaniment_level"])
            changed = True
        return changed


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne à inviter")
    role = forms.ChoiceField(
        label="Rôle", choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def save(self, structure, user) -> Invitation:
        return Invitation.objects.create(
            structure=structure,
            email=self.cleaned_data["email"],
            role=self.cleaned_data["role"],
            invited_by=user,
        )


class StopForm(forms.ModelForm):
    class Meta:
        model = Stop
        fields = ["commune", "label", "opening_hours"]
        widgets = {"opening_hours": forms.TextInput()}
        help_texts = {
            "opening_hours": "Syntaxe OpenStreetMap, par ex. « Tu 09:30-12:00 » ou « 2026 Dec 01 14:00-17:00 »"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")

    def clean_opening_hours(self):
        from .importers.places import opening_hours_valid

        value = self.cleaned_data["opening_hours"].strip()
        if not opening_hours_valid(value):
            raise forms.ValidationError(
                "Jours et horaires illisibles : par exemple « Tu 09:30-12:00 »."
            )
        return value

    def save(self, commit=True):
        stop = super().save(commit=False)
        if stop.location is None or "commune" in self.changed_data:
            stop.location = (
                stop.commune.geometry.point_on_surface if stop.commune.geometry else None
            )
        if commit:
            stop.save()
        return stop


StopFormSet = forms.inlineformset_factory(Place, Stop, form=StopForm, extra=1, can_delete=True)
