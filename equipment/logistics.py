"""Logistics of school equipment: deployments followed from order to installation
(/ecoles/deploiements/) and devices lent to families from the pools of schools and structures
(/ecoles/prets/).

Rights come from `equipment/rules.py`; what each person reaches from the models' `visible_to`.
Someone with nothing to follow gets a 403; an object outside their perimeter is a 404, whatever
the role, so that its existence is not revealed. Local authorities read deployments only.
"""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.rules import require
from actors.models import Structure
from hub.exports import safe_row

from .models import Circonscription, Deployment, Loan, LoanPool, School

PAGE_SIZE = 25
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = Deployment._meta.get_field("kind").choices
Status = Deployment.Status


# --- Deployments ------------------------------------------------------------------------------


def _schools(user):
    """The schools whose deployments `user` reads; 403 for someone who follows none."""
    require(
        user,
        "equipment.read_deployments",
        message="Le suivi des déploiements est réservé à la DSDEN, aux ERUN, aux directions "
        "d'école et aux collectivités.",
    )
    return School.objects.visible_to(user)


class DeploymentFilterForm(forms.Form):
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "tous")] + Status.choices)
    financement = forms.ChoiceField(
        label="Financement", required=False, choices=[("", "tous")] + Deployment.Funding.choices
    )
    equipement = forms.ChoiceField(
        label="Équipement", required=False, choices=[("", "tous")] + KIND_CHOICES
    )
    circonscription = forms.ModelChoiceField(
        label="Circonscription",
        required=False,
        queryset=Circonscription.objects.none(),
        empty_label="toutes",
    )

    LOOKUPS = {
        "etat": "status",
        "financement": "funding",
        "equipement": "kind",
        "circonscription": "school__circonscription",
    }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circonscription"].queryset = Circonscription.objects.filter(
            schools__in=schools
        ).distinct()

    def apply(self, deployments):
        """Filter by the valid criteria; an invalid one is ignored and shown next to its field."""
        if not self.is_bound:
            return deployments
        self.is_valid()
        chosen = {self.LOOKUPS[name]: value for name, value in self.cleaned_data.items() if value}
        return deployments.filter(**chosen)


# Sort keys of the query string (`tri`, "-" for descending): column label and ORM ordering.
SORTS = {
    "date": ("Commandé le", "ordered_on"),
    "ecole": ("École", "school__name"),
    "etat": ("État", "status_rank"),
}
DEFAULT_SORT = "-date"
# The lifecycle order, not the alphabetical order of the stored codes.
STATUS_RANK = Case(
    *[When(status=code, then=Value(rank)) for rank, code in enumerate(Status.values)],
    output_field=IntegerField(),
)


def _sorted(deployments, sort: str):
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    field = SORTS[sort.removeprefix("-")][1]
    first = f"-{field}" if sort.startswith("-") else field
    ordered = deployments.annotate(status_rank=STATUS_RANK).order_by(first, "-ordered_on", "-pk")
    return ordered, sort


def _sort_headers(sort: str, query) -> dict[str, dict]:
    """Per sortable column: a link sorting by it (reversed when it is the current order)."""
    headers = {}
    for key, (label, _) in SORTS.items():
        current, descending = sort.removeprefix("-") == key, sort.startswith("-")
        following = f"-{key}" if current and not descending else key
        link = query.copy()
        link["tri"] = following
        headers[key] = {
            "label": label,
            "url": f"?{link.urlencode()}",
            "aria_sort": ("descending" if descending else "ascending") if current else "",
            "next": "décroissant" if following.startswith("-") else "croissant",
        }
    return headers


def _quantity(condition=None):
    return Coalesce(Sum("quantity", filter=condition), 0, output_field=IntegerField())


def _sums() -> dict:
    return {
        "ordered": _quantity(),
        "delivered": _quantity(Q(status__in=[Status.DELIVERED, Status.INSTALLED])),
        "installed": _quantity(Q(status=Status.INSTALLED)),
    }


def deployment_totals(deployments) -> dict:
    """Quantities ordered (every deployment), delivered (delivered or installed) and installed,
    per circonscription, per EPCI of the school's commune, and overall."""
    base = deployments.order_by()

    def per(relation: str) -> list[dict]:
        rows = base.values(key=F(relation), name=F(f"{relation}__name")).annotate(**_sums())
        return list(rows.order_by(F("name").asc(nulls_last=True)))

    return {
        "circonscriptions": per("school__circonscription"),
        "epcis": per("school__commune__epci"),
        "all": base.aggregate(**_sums()),
    }


def _listed(request):
    """The filter form, and the deployments the user may see, filtered and sorted as asked."""
    schools = _schools(request.user)
    form = DeploymentFilterForm(request.GET or None, schools=schools)
    deployments = form.apply(Deployment.objects.visible_to(request.user))
    ordered, sort = _sorted(deployments, request.GET.get("tri", DEFAULT_SORT))
    return form, deployments, ordered, sort


@login_required
def deployments(request):
    form, filtered, ordered, sort = _listed(request)
    page = Paginator(
        ordered.select_related("school__commune", "school__circonscription"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "equipment/logistics/deployments.html",
        {
            "title": "Déploiements d'équipement",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sort": sort,
            "headers": _sort_headers(sort, query),
            "totals": deployment_totals(filtered),
        },
    )


EXPORT_COLUMNS = [
    "UAI",
    "école",
    "commune",
    "EPCI",
    "circonscription",
    "équipement",
    "quantité",
    "financement",
    "état",
    "commandé le",
    "livré le",
    "installé le",
    "remarque",
]


@login_required
def deployments_export(request):
    """The visible list, as filtered and sorted on the page: `;`, UTF-8 with a BOM (Excel)."""
    _, _, ordered, _ = _listed(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="deploiements-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    rows = ordered.select_related("school__commune__epci", "school__circonscription")
    for d in rows:
        school, commune = d.school, d.school.commune
        writer.writerow(
            safe_row(
                [
                    school.uai,
                    school.name,
                    commune.name if commune else "",
                    commune.epci.name if commune and commune.epci else "",
                    school.circonscription.name if school.circonscription else "",
                    d.get_kind_display(),
                    d.quantity,
                    d.get_funding_display(),
                    d.get_status_display(),
                    *[
                        day.isoformat() if day else ""
                        for day in (d.ordered_on, d.delivered_on, d.installed_on)
                    ],
                    d.note,
                ]
            )
        )
    return response


class DeploymentForm(forms.ModelForm):
    class Meta:
        model = Deployment
        fields = [
            "school",
            "kind",
            "quantity",
            "funding",
            "status",
            "ordered_on",
            "delivered_on",
            "installed_on",
            "note",
        ]
        labels = {
            "school": "École",
            "kind": "Équipement",
            "quantity": "Quantité",
            "funding": "Financement",
            "status": "État",
            "ordered_on": "Commandé le",
            "delivered_on": "Livré le",
            "installed_on": "Installé le",
            "note": "Remarque",
        }
        help_texts = {
            "status": "commandé, puis livré, puis installé",
            "delivered_on": "obligatoire une fois le matériel livré",
            "installed_on": "obligatoire une fois le matériel installé",
        }
        widgets = {
            "ordered_on": DATE_WIDGET,
            "delivered_on": DATE_WIDGET,
            "installed_on": DATE_WIDGET,
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["school"]  # a deployment stays with its school
        else:
            field = self.fields["school"]
            field.queryset = schools.order_by("name")
            if len(field.queryset[:2]) == 1:  # a director has one school: nothing to choose
                field.initial = field.queryset[0].pk


@login_required
def deployment_form(request, pk=None):
    """Add a deployment to one of the user's schools, or edit one (status and dates)."""
    _schools(request.user)
    deployment = None
    if pk is not None:
        deployment = get_object_or_404(
            Deployment.objects.visible_to(request.user).select_related("school"), pk=pk
        )
    require(
        request.user,
        "equipment.record_deployments",
        message="Vous consultez les déploiements de votre territoire sans les modifier.",
    )
    if deployment is not None:
        require(
            request.user,
            "equipment.answer_census",
            deployment.school,
            "Vous consultez ce déploiement sans pouvoir le modifier.",
        )
    schools = School.objects.answerable_by(request.user)
    form = DeploymentForm(request.POST or None, instance=deployment, schools=schools)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        verb = "modifié" if deployment else "enregistré"
        messages.success(request, f"Déploiement {verb} : {saved}.")
        return redirect("equipment-deployments")
    title = f"Modifier le déploiement — {deployment.school.name}" if deployment else None
    return render(
        request,
        "equipment/logistics/form.html",
        {
            "title": title or "Ajouter un déploiement",
            "form": form,
            "intro": "Les dates de livraison et d'installation sont demandées quand l'état avance."
            if deployment
            else "Le matériel commandé pour l'une de vos écoles, suivi jusqu'à son installation.",
            "submit": "Enregistrer",
            "back": reverse("equipment-deployments"),
        },
    )


# --- Family loans -----------------------------------------------------------------------------


class LoanScope:
    """What a user manages for loans: schools, structures and the pools they own."""

    def __init__(self, user):
        require(
            user,
            "equipment.manage_loans",
            message="Les prêts sont gérés par les écoles, leurs ERUN, la DSDEN "
            "et les structures de médiation numérique.",
        )
        self.schools = School.objects.answerable_by(user)
        self.structures = Structure.objects.editable_by(user)
        self.pools = LoanPool.objects.visible_to(user)
        self.loans = Loan.objects.visible_to(user)

    def pool(self, pk) -> LoanPool:
        return get_object_or_404(
            with_availability(self.pools).select_related("school", "structure"), pk=pk
        )

    def loan(self, pk) -> Loan:
        return get_object_or_404(self.loans.select_related("pool"), pk=pk)


def with_availability(pools):
    """Annotate `lent` (devices out, not returned yet) and `available`."""
    out = Coalesce(
        Sum("loans__quantity", filter=Q(loans__returned_on__isnull=True)),
        0,
        output_field=IntegerField(),
    )
    return pools.annotate(lent=out).annotate(available=F("quantity") - F("lent"))


def _available(pool: LoanPool) -> int:
    return with_availability(LoanPool.objects.filter(pk=pool.pk)).values_list(
        "available", flat=True
    )[0]


def _count(n: int, one: str, many: str) -> str:
    """French plural: 0 and 1 take the singular."""
    return f"{n} {one if n <= 1 else many}"


def _days_overdue(loans, today):
    for loan in loans:
        loan.days_overdue = (today - loan.due_on).days if loan.due_on < today else 0
    return loans


@login_required
def loans(request):
    scope = LoanScope(request.user)
    pools = with_availability(scope.pools).select_related("school", "structure").order_by("name")
    return render(
        request,
        "equipment/logistics/loans.html",
        {
            "title": "Prêts de matériel aux familles",
            "pools": pools,
            "overdue": scope.loans.overdue().count(),
        },
    )


class LoanPoolForm(forms.ModelForm):
    owner = forms.ChoiceField(
        label="École ou structure", help_text="celle qui possède et prête le matériel"
    )

    class Meta:
        model = LoanPool
        fields = ["owner", "name", "kind", "quantity"]
        labels = {"name": "Nom du parc", "kind": "Matériel", "quantity": "Nombre d'appareils"}
        help_texts = {"name": "par ex. « Ordinateurs portables de l'école Jules-Ferry »"}

    def __init__(self, *args, schools, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {f"ecole-{s.pk}": ("school", s) for s in schools.order_by("name")}
        self.owners |= {f"structure-{s.pk}": ("structure", s) for s in structures.order_by("name")}
        groups = [
            (group, [(key, str(o)) for key, (kind, o) in self.owners.items() if kind == attr])
            for group, attr in (("Écoles", "school"), ("Structures", "structure"))
        ]
        self.fields["owner"].choices = [("", "—")] + [g for g in groups if g[1]]
        if len(self.owners) == 1:
            self.fields["owner"].initial = next(iter(self.owners))
        self.fields["quantity"].min_value = 1
        self.fields["quantity"].widget.attrs["min"] = 1

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity < 1:
            raise forms.ValidationError("Un parc compte au moins un appareil.")
        return quantity

    def clean_owner(self):
        attribute, owner = self.owners[self.cleaned_data["owner"]]
        setattr(self.instance, attribute, owner)
        return owner


@login_required
def loan_pool_new(request):
    scope = LoanScope(request.user)
    form = LoanPoolForm(request.POST or None, schools=scope.schools, structures=scope.structures)
    if request.method == "POST" and form.is_valid():
        pool = form.save()
        messages.success(request, f"Parc « {pool.name} » créé.")
        return redirect("equipment-loan-pool", pk=pool.pk)
    return render(
        request,
        "equipment/logistics/form.html",
        {
            "title": "Ajouter un parc de prêt",
            "form": form,
            "intro": "Le matériel qu'une école ou une structure prête aux familles.",
            "submit": "Créer le parc",
            "back": reverse("equipment-loans"),
        },
    )


@login_required
def loan_pool(request, pk):
    scope = LoanScope(request.user)
    pool = scope.pool(pk)
    today = timezone.localdate()
    current = _days_overdue(list(pool.loans.current().order_by("due_on", "pk")), today)
    returned = pool.loans.filter(returned_on__isnull=False).order_by("-returned_on", "-pk")[:20]
    return render(
        request,
        "equipment/logistics/pool.html",
        {
            "title": pool.name,
            "pool": pool,
            "current": current,
            "returned": returned,
            "today": today,
        },
    )


class LoanForm(forms.ModelForm):
    class Meta:
        model = Loan
        fields = ["borrower_reference", "quantity", "started_on", "due_on"]
        labels = {
            "borrower_reference": "Référence de l'emprunteur",
            "quantity": "Nombre d'appareils",
            "started_on": "Prêté le",
            "due_on": "À rendre le",
        }
        help_texts = {"borrower_reference": "une référence de dossier, pas de nom"}
        widgets = {"started_on": DATE_WIDGET, "due_on": DATE_WIDGET}

    def __init__(self, *args, available: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.available = available
        quantity = self.fields["quantity"]
        quantity.help_text = f"{_count(available, 'disponible', 'disponibles')} dans ce parc"
        quantity.widget.attrs.update(min=1, max=max(available, 1))

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity < 1:
            raise forms.ValidationError("Prêtez au moins un appareil.")
        if quantity > self.available:
            raise forms.ValidationError(
                "Il ne reste que "
                f"{_count(self.available, 'appareil disponible', 'appareils disponibles')} "
                "dans ce parc."
                if self.available
                else "Aucun appareil n'est disponible dans ce parc : tous sont prêtés."
            )
        return quantity


@login_required
def loan_new(request, pk):
    scope = LoanScope(request.user)
    pool = scope.pool(pk)
    loan = Loan(pool=pool)
    if request.method == "POST":
        with transaction.atomic():
            # Two people lending from one pool at once must not both take its last device.
            LoanPool.objects.select_for_update().get(pk=pool.pk)
            form = LoanForm(request.POST, instance=loan, available=_available(pool))
            if form.is_valid():
                form.save()
                messages.success(request, f"Prêt enregistré pour « {loan.borrower_reference} ».")
                return redirect("equipment-loan-pool", pk=pool.pk)
    else:
        today = timezone.localdate()
        form = LoanForm(instance=loan, available=pool.available, initial={"started_on": today})
    return render(
        request,
        "equipment/logistics/form.html",
        {
            "title": f"Prêter du matériel — {pool.name}",
            "form": form,
            "intro": "Aucune donnée personnelle : notez seulement la référence du dossier.",
            "submit": "Enregistrer le prêt",
            "back": reverse("equipment-loan-pool", args=[pool.pk]),
        },
    )


class ReturnForm(forms.ModelForm):
    class Meta:
        model = Loan
        fields = ["returned_on"]
        labels = {"returned_on": "Rendu le"}
        widgets = {"returned_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].required = True

    def clean_returned_on(self):
        day = self.cleaned_data["returned_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Cette date est à venir.")
        return day


@login_required
def loan_return(request, pk):
    """Mark a loan returned: its devices are available again."""
    scope = LoanScope(request.user)
    loan = scope.loan(pk)
    if loan.returned_on:
        messages.info(request, f"Ce prêt est déjà rendu (le {loan.returned_on:%d/%m/%Y}).")
        return redirect("equipment-loan-pool", pk=loan.pool_id)
    form = ReturnForm(
        request.POST or None, instance=loan, initial={"returned_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Prêt « {loan.borrower_reference} » rendu.")
        if request.POST.get("suite") == "retards":  # marked returned from the overdue list
            return redirect("equipment-loans-overdue")
        return redirect("equipment-loan-pool", pk=loan.pool_id)
    return render(
        request,
        "equipment/logistics/form.html",
        {
            "title": f"Retour du prêt « {loan.borrower_reference} »",
            "form": form,
            "intro": f"{_count(loan.quantity, 'appareil', 'appareils')} de « {loan.pool.name} », "
            f"prêté le {loan.started_on:%d/%m/%Y} à « {loan.borrower_reference} ».",
            "submit": "Marquer rendu",
            "back": reverse("equipment-loan-pool", args=[loan.pool_id]),
        },
    )


@login_required
def loans_overdue(request):
    """Loans past their due date and not returned, across the pools the user manages."""
    scope = LoanScope(request.user)
    today = timezone.localdate()
    overdue = scope.loans.overdue(today)
    loans = overdue.select_related("pool__school", "pool__structure").order_by("due_on", "pk")
    return render(
        request,
        "equipment/logistics/overdue.html",
        {"title": "Prêts en retard", "loans": _days_overdue(list(loans), today), "today": today},
    )
