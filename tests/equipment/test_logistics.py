"""Deployments of equipment to schools and family loans: totals, forms, overdue loans, rights."""

import csv
import datetime
import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from accounts.services import ensure_role_groups, grant
from actors.models import Membership, Structure
from cartography.models import Commune
from equipment.models import (
    Circonscription,
    Deployment,
    DigitalReferent,
    Loan,
    LoanPool,
    School,
    SchoolDirector,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
ROUTES = [
    "equipment-deployments",
    "equipment-deployments-export",
    "equipment-deployment-add",
    "equipment-loans",
    "equipment-loans-overdue",
    "equipment-loan-pool-add",
]


# --- Fixtures and helpers -----------------------------------------------------------------------


def place_in_chartres(structure):
    """A place of `structure` in Chartres: DSDEN staff of 28 then follow its loan pools."""
    from django.contrib.gis.geos import Point

    from actors.models import Place
    from cartography.models import Departement

    eure_et_loir = Departement.objects.get_or_create(code="28", name="Eure-et-Loir")[0]
    chartres = Commune.objects.get_or_create(
        code="28085", defaults={"name": "Chartres", "departement": eure_et_loir}
    )[0]
    Place.objects.create(
        structure=structure, name=structure.name, address="1 rue de la Poissonnerie",
        postal_code="28000", commune_name="Chartres", commune=chartres,
        location=Point(1.489, 48.447, srid=4326), updated_on=TODAY,
    )  # fmt: skip


@pytest.fixture
def world(django_user_model):
    """Three schools in two circonscriptions, two structures, and one person per role."""
    ensure_role_groups()
    north = Circonscription.objects.create(
        code="0281001A", name="Chartres-Dreux", departement_code="28"
    )
    south = Circonscription.objects.create(code="0281002B", name="Lucé", departement_code="28")

    def school(uai, name, commune_code, circonscription):
        return School.objects.create(
            uai=uai,
            name=name,
            kind=School.Kind.ELEMENTAIRE,
            departement_code="28",
            commune_code=commune_code,
            circonscription=circonscription,
            source=School.Source.ANNUAIRE,
        )

    chartres = school("0280001A", "École Jules-Ferry", "28085", north)
    dreux = school("0280002B", "École Victor-Hugo", "28134", north)
    luce = school("0280003C", "École Jean-Moulin", "28218", south)
    fablab = Structure.objects.create(name="Fablab de Chartres")
    atelier = Structure.objects.create(name="Atelier de réemploi de Dreux")

    def person(name):
        return django_user_model.objects.create_user(name, f"{name}@example.org", "pw-2026-x")

    people = {name: person(name) for name in ("dsden", "erun_north", "erun_south", "director")}
    people |= {name: person(name) for name in ("director_luce", "mediateur", "mediateur_other")}
    people |= {name: person(name) for name in ("pending", "nobody")}
    grant(people["dsden"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    DigitalReferent.objects.create(user=people["erun_north"], circonscription=north)
    DigitalReferent.objects.create(user=people["erun_south"], circonscription=south)
    SchoolDirector.objects.create(user=people["director"], school=chartres)
    SchoolDirector.objects.create(user=people["director_luce"], school=luce)
    Membership.objects.create(structure=fablab, user=people["mediateur"], status="active")
    Membership.objects.create(structure=atelier, user=people["mediateur_other"], status="active")
    Membership.objects.create(structure=fablab, user=people["pending"])  # not approved yet
    return {
        **people,
        "north": north,
        "south": south,
        "chartres": chartres,
        "dreux": dreux,
        "luce": luce,
        "fablab": fablab,
        "atelier": atelier,
    }


@pytest.fixture
def located(world, territory_28):
    """The same world, its schools placed in their communes (and so in their EPCI)."""
    for key in ("chartres", "dreux", "luce"):
        school = world[key]
        school.commune = Commune.objects.get(code=school.commune_code)
        school.save()
    return world


def deployment(school, quantity=10, status=Deployment.Status.ORDERED, **fields):
    dates = {"ordered_on": datetime.date(2026, 1, 5)}
    if status != Deployment.Status.ORDERED:
        dates["delivered_on"] = datetime.date(2026, 2, 2)
    if status == Deployment.Status.INSTALLED:
        dates["installed_on"] = datetime.date(2026, 3, 2)
    values = {"kind": "laptops", "funding": "cnr", "status": status, **dates, **fields}
    return Deployment.objects.create(school=school, quantity=quantity, **values)


def loan(pool, reference, quantity=1, due_on=None, returned_on=None, started_on=None):
    return Loan.objects.create(
        pool=pool,
        borrower_reference=reference,
        quantity=quantity,
        started_on=started_on or TODAY - 60 * DAY,
        due_on=due_on or TODAY + 30 * DAY,
        returned_on=returned_on,
    )


class _Tables(HTMLParser):
    """The tables of a page by caption: {caption: [[cell text, …] per row]}."""

    def __init__(self):
        super().__init__()
        self.tables, self._rows, self._caption, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("th", "td") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = " ".join("".join(self._caption).split())
        elif tag in ("th", "td") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if isinstance(self._caption, list):
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def table(response, caption: str) -> list[list[str]]:
    """The body rows (header row left out) of the table with this caption."""
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables[caption][1:]


def totals(response, caption: str) -> dict[str, list[int]]:
    return {row[0]: [int(n) for n in row[1:]] for row in table(response, caption)}


def field_errors(response, name: str) -> list[str]:
    """The error messages shown next to a form field."""
    text = html.unescape(response.content.decode())
    block = re.search(rf'<div id="id_{name}-errors">(.*?)</div>', text, re.S)
    return re.findall(r'<p class="fr-error-text">(.*?)</p>', block.group(1)) if block else []


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def added(client, school, quantity, kind, status, dates: str):
    """Add a deployment through the form; `dates`: ordered, delivered, installed (as known)."""
    data = {
        "school": school.pk,
        "kind": kind,
        "quantity": quantity,
        "funding": "collectivite",
        "status": status,
        **dict(zip(("ordered_on", "delivered_on", "installed_on"), dates.split(), strict=False)),
    }
    response = client.post(reverse("equipment-deployment-add"), data)
    assert response.status_code == 302, field_errors(response, "delivered_on")
    return response


# --- Routes -----------------------------------------------------------------------------------


def test_every_logistics_route_reaches_its_page():
    # `/ecoles/<uai>/` must not swallow /ecoles/deploiements/ nor /ecoles/prets/.
    for name in ROUTES + ["equipment-loan-pool", "equipment-deployment-edit"]:
        url = reverse(name, args=[1]) if name.endswith(("pool", "edit")) else reverse(name)
        assert resolve(url).url_name == name, f"{url} is served by {resolve(url).url_name}"


# --- Deployments ------------------------------------------------------------------------------


def test_totals_per_circonscription_and_per_epci_follow_the_deployments(client, located):
    client.force_login(located["dsden"])
    added(client, located["chartres"], 10, "laptops", "ordered", "2026-01-10")
    added(client, located["dreux"], 5, "tablets", "delivered", "2026-01-05 2026-02-01")
    added(client, located["luce"], 3, "displays", "installed", "2025-11-01 2025-12-01 2025-12-15")
    added(client, located["chartres"], 2, "robots", "installed", "2025-10-01 2025-10-10 2025-10-20")

    page = client.get(reverse("equipment-deployments"))
    assert "4 déploiements" in page.content.decode()
    assert totals(page, "Quantités par circonscription") == {
        "Chartres-Dreux": [17, 7, 2],
        "Lucé": [3, 3, 3],
        "Total": [20, 10, 5],
    }
    assert totals(page, "Quantités par EPCI (de la commune de l’école)") == {
        "CA Agglo du Pays de Dreux": [5, 5, 0],
        "CA Chartres Métropole": [15, 5, 5],
        "Total": [20, 10, 5],
    }
    installed = client.get(reverse("equipment-deployments"), {"etat": "installed"})
    assert totals(installed, "Quantités par circonscription")["Total"] == [5, 5, 5]

    client.force_login(located["erun_south"])  # sees the schools of Lucé only
    page = client.get(reverse("equipment-deployments"))
    assert totals(page, "Quantités par circonscription") == {"Lucé": [3, 3, 3], "Total": [3, 3, 3]}
    assert totals(page, "Quantités par EPCI (de la commune de l’école)") == {
        "CA Chartres Métropole": [3, 3, 3],
        "Total": [3, 3, 3],
    }


def test_installed_without_dates_is_refused_next_to_the_fields_and_typed_values_kept(client, world):
    ordered = deployment(world["chartres"], quantity=10)
    client.force_login(world["director"])
    url = reverse("equipment-deployment-edit", args=[ordered.pk])
    typed = {
        "kind": "laptops",
        "quantity": "12",
        "funding": "tne",
        "status": "installed",
        "ordered_on": "2026-01-05",
        "note": "salle informatique",
    }
    response = client.post(url, typed)
    assert response.status_code == 200
    assert field_errors(response, "delivered_on") == ["Indiquez la date de livraison."]
    assert field_errors(response, "installed_on") == ["Indiquez la date d'installation."]
    text = response.content.decode()
    assert 'value="12"' in text and 'value="salle informatique"' in text
    assert '<option value="installed" selected>' in text and 'aria-invalid="true"' in text
    ordered.refresh_from_db()
    assert (ordered.status, ordered.quantity) == ("ordered", 10)

    backwards = {**typed, "delivered_on": "2026-02-01", "installed_on": "2026-01-20"}
    response = client.post(url, backwards)
    assert field_errors(response, "installed_on") == ["L'installation précède la livraison."]
    assert 'value="2026-01-20"' in response.content.decode()

    response = client.post(url, {**backwards, "installed_on": "2026-02-03"})
    assert response.status_code == 302
    ordered.refresh_from_db()
    assert (ordered.status, ordered.installed_on, ordered.quantity) == (
        "installed",
        datetime.date(2026, 2, 3),
        12,
    )


def test_a_deployment_is_added_only_for_a_school_of_ones_own(client, world):
    client.force_login(world["director"])
    form = client.get(reverse("equipment-deployment-add")).content.decode()
    assert "École Jules-Ferry" in form and "École Jean-Moulin" not in form
    data = {"kind": "tablets", "quantity": 4, "funding": "cnr", "status": "ordered"}
    response = client.post(
        reverse("equipment-deployment-add"),
        {**data, "school": world["luce"].pk, "ordered_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert field_errors(response, "school")  # "Sélectionnez un choix valide…"
    assert not Deployment.objects.exists()


def test_the_list_sorts_filters_pages_and_exports_what_is_visible(client, world):
    deployment(world["luce"], quantity=3, status="installed", ordered_on=datetime.date(2025, 9, 1))
    deployment(world["dreux"], quantity=5, status="delivered", funding="tne")
    Deployment.objects.bulk_create(
        Deployment(
            school=world["chartres"],
            kind="tablets",
            quantity=1,
            funding="collectivite",
            ordered_on=datetime.date(2026, 1, 1) + n * DAY,
        )
        for n in range(25)
    )
    client.force_login(world["dsden"])
    url = reverse("equipment-deployments")
    first = client.get(url)
    rows = table(first, "Déploiements, page 1 sur 2")
    assert len(rows) == 25 and rows[0][6] == "25/01/2026"  # most recent order first
    assert "1 / 2" in first.content.decode()
    by_school = table(client.get(url, {"tri": "ecole"}), "Déploiements, page 1 sur 2")
    assert by_school[0][0].startswith("École Jean-Moulin")
    by_status = table(client.get(url, {"tri": "-etat"}), "Déploiements, page 1 sur 2")
    assert [r[5] for r in by_status[:2]] == ["installé", "livré"]
    tne = table(client.get(url, {"financement": "tne"}), "Déploiements")
    assert len(tne) == 1 and tne[0][0].startswith("École Victor-Hugo")

    export = client.get(reverse("equipment-deployments-export"), {"etat": "delivered"})
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert export.content.startswith(b"\xef\xbb\xbf")
    assert [(r["UAI"], r["quantité"], r["état"], r["livré le"]) for r in csv_rows(export)] == [
        ("0280002B", "5", "livré", "2026-02-02")
    ]

    client.force_login(world["erun_south"])  # the schools of Lucé only
    export = client.get(reverse("equipment-deployments-export"))
    assert [r["UAI"] for r in csv_rows(export)] == ["0280003C"]


# --- Family loans -----------------------------------------------------------------------------


def test_lending_more_devices_than_available_is_refused_next_to_the_quantity(client, world):
    pool = LoanPool.objects.create(
        name="Portables du fablab", structure=world["fablab"], kind="laptop", quantity=5
    )
    loan(pool, "DOS-2026-001", quantity=3)
    loan(pool, "DOS-2025-090", quantity=5, returned_on=TODAY - DAY)  # back: counts no more
    client.force_login(world["mediateur"])
    url = reverse("equipment-loan-add", args=[pool.pk])
    assert "2 disponibles dans ce parc" in client.get(url).content.decode()
    typed = {
        "borrower_reference": "DOS-2026-002",
        "quantity": "3",
        "started_on": TODAY.isoformat(),
        "due_on": (TODAY + 30 * DAY).isoformat(),
    }
    response = client.post(url, typed)
    assert response.status_code == 200
    assert field_errors(response, "quantity") == [
        "Il ne reste que 2 appareils disponibles dans ce parc."
    ]
    assert 'value="DOS-2026-002"' in response.content.decode()
    assert pool.loans.count() == 2

    assert client.post(url, {**typed, "quantity": "2"}).status_code == 302
    listed = table(client.get(reverse("equipment-loans")), "Parcs de prêt que vous gérez")
    assert listed == [
        [
            "Portables du fablab",
            "Fablab de Chartres",
            "ordinateurs portables",
            "5",
            "5",
            "0",
            "tout est prêté",
        ]
    ]
    response = client.post(url, {**typed, "quantity": "1"})
    assert field_errors(response, "quantity") == [
        "Aucun appareil n'est disponible dans ce parc : tous sont prêtés."
    ]


def test_a_returned_loan_frees_its_devices(client, world):
    pool = LoanPool.objects.create(
        name="Routeurs 4G", school=world["chartres"], kind="router_4g", quantity=2
    )
    out = loan(pool, "FAM-17", quantity=2, started_on=TODAY - 10 * DAY)
    client.force_login(world["director"])
    pool_page = reverse("equipment-loan-pool", args=[pool.pk])
    assert "<strong>0 disponible</strong>" in client.get(pool_page).content.decode()

    returned = reverse("equipment-loan-return", args=[out.pk])
    early = client.post(returned, {"returned_on": (TODAY - 20 * DAY).isoformat()})
    assert field_errors(early, "returned_on") == ["Le retour précède le début du prêt."]
    assert client.post(returned, {"returned_on": TODAY.isoformat()}).status_code == 302
    out.refresh_from_db()
    assert out.returned_on == TODAY
    page = client.get(pool_page)
    assert "<strong>2 disponibles</strong>" in page.content.decode()
    assert table(page, "Les 20 derniers prêts rendus")[0][0] == "FAM-17"
    again = {"borrower_reference": "FAM-18", "quantity": 2, "started_on": TODAY, "due_on": TODAY}
    assert client.post(reverse("equipment-loan-add", args=[pool.pk]), again).status_code == 302


def test_the_overdue_list_shows_only_the_users_overdue_unreturned_loans(client, world):
    school_pool = LoanPool.objects.create(
        name="Portables de l'école", school=world["chartres"], kind="laptop", quantity=10
    )
    other_school = LoanPool.objects.create(
        name="Portables de Lucé", school=world["luce"], kind="laptop", quantity=10
    )
    fablab_pool = LoanPool.objects.create(
        name="Casques du fablab", structure=world["fablab"], kind="headset", quantity=10
    )
    place_in_chartres(world["fablab"])
    loan(school_pool, "LATE-10", quantity=2, due_on=TODAY - 10 * DAY)
    loan(school_pool, "LATE-1", due_on=TODAY - DAY)
    loan(school_pool, "BACK", due_on=TODAY - 5 * DAY, returned_on=TODAY - DAY)
    loan(school_pool, "DUE-TODAY", due_on=TODAY)
    loan(school_pool, "NOT-YET", due_on=TODAY + DAY)
    loan(other_school, "LUCE-LATE", due_on=TODAY - 3 * DAY)
    loan(fablab_pool, "FABLAB-LATE", due_on=TODAY - 7 * DAY)
    caption = "Prêts non rendus après leur échéance, du plus ancien retard au plus récent"

    def overdue(who):
        client.force_login(world[who])
        page = client.get(reverse("equipment-loans-overdue"))
        if "Aucun prêt en retard." in page.content.decode():
            return []
        return [(row[0], row[5]) for row in table(page, caption)]

    assert overdue("director") == [("LATE-10", "10 jours"), ("LATE-1", "1 jour")]
    assert overdue("mediateur") == [("FABLAB-LATE", "7 jours")]
    assert overdue("mediateur_other") == []
    assert overdue("erun_north") == [("LATE-10", "10 jours"), ("LATE-1", "1 jour")]
    assert [ref for ref, _ in overdue("dsden")] == ["LATE-10", "FABLAB-LATE", "LUCE-LATE", "LATE-1"]
    client.force_login(world["director"])
    assert "2 prêts en retard" in client.get(reverse("equipment-loans")).content.decode()


def test_a_pool_is_added_only_for_ones_own_school_or_structure(client, world):
    client.force_login(world["mediateur_other"])
    url = reverse("equipment-loan-pool-add")
    form = client.get(url).content.decode()
    assert "Atelier de réemploi de Dreux" in form and "Fablab de Chartres" not in form
    data = {"name": "Portables", "kind": "laptop", "quantity": 4}
    forged = client.post(url, {**data, "owner": f"structure-{world['fablab'].pk}"})
    assert forged.status_code == 200 and field_errors(forged, "owner")
    forged = client.post(url, {**data, "owner": f"ecole-{world['chartres'].pk}"})
    assert forged.status_code == 200 and field_errors(forged, "owner")
    assert not LoanPool.objects.exists()
    response = client.post(url, {**data, "owner": f"structure-{world['atelier'].pk}"})
    pool = LoanPool.objects.get()
    assert response.url == reverse("equipment-loan-pool", args=[pool.pk])
    assert (pool.structure, pool.school) == (world["atelier"], None)


# --- Rights -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nobody", "pending", None])
def test_without_a_school_or_a_structure_every_page_is_closed(client, world, who):
    if who:
        client.force_login(world[who])
    for name in ROUTES:
        response = client.get(reverse(name))
        if who is None:
            assert response.status_code == 302 and response.url.startswith("/comptes/")
        else:
            assert response.status_code == 403, name


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dsden", 200),
        ("erun_north", 200),
        ("director", 200),
        ("erun_south", 404),  # another circonscription
        ("director_luce", 404),  # another school
        ("mediateur", 403),  # a structure, but no school
        (None, 302),
    ],
)
def test_a_deployment_is_seen_and_changed_only_within_ones_schools(client, world, who, status):
    chartres = deployment(world["chartres"], quantity=10, note="commande initiale")
    if who:
        client.force_login(world[who])
    url = reverse("equipment-deployment-edit", args=[chartres.pk])
    assert client.get(url).status_code == status
    change = {
        "kind": "laptops",
        "quantity": 99,
        "funding": "cnr",
        "status": "ordered",
        "ordered_on": "2026-01-05",
    }
    posted = client.post(url, change)
    assert posted.status_code == (302 if status == 200 else status)
    chartres.refresh_from_db()
    assert chartres.quantity == (99 if status == 200 else 10)
    listed = client.get(reverse("equipment-deployments"))
    if status in (200, 404):  # a perimeter of their own: the list opens, without this school
        assert listed.status_code == 200
        assert ("École Jules-Ferry" in listed.content.decode()) is (status == 200)
    else:
        assert listed.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mediateur", 200),
        ("dsden", 200),
        ("mediateur_other", 404),  # a member of another structure
        ("erun_south", 404),
        ("director_luce", 404),
        ("pending", 403),  # membership not approved yet
        (None, 302),
    ],
)
def test_a_structure_loan_is_seen_and_changed_only_by_its_managers(client, world, who, status):
    pool = LoanPool.objects.create(
        name="Portables du fablab", structure=world["fablab"], kind="laptop", quantity=5
    )
    place_in_chartres(world["fablab"])
    out = loan(pool, "DOS-2026-001", quantity=2)
    if who:
        client.force_login(world[who])
    allowed = status == 200
    assert client.get(reverse("equipment-loan-pool", args=[pool.pk])).status_code == status
    new = {"borrower_reference": "X-1", "quantity": 1, "started_on": TODAY, "due_on": TODAY}
    lend = client.post(reverse("equipment-loan-add", args=[pool.pk]), new)
    assert lend.status_code == (302 if allowed else status)
    back = client.post(reverse("equipment-loan-return", args=[out.pk]), {"returned_on": TODAY})
    assert back.status_code == (302 if allowed else status)
    out.refresh_from_db()
    assert pool.loans.count() == (2 if allowed else 1)
    assert (out.returned_on == TODAY) is allowed
    if status == 404:
        listed = client.get(reverse("equipment-loans")).content.decode()
        assert "Portables du fablab" not in listed


@pytest.mark.parametrize(
    ("who", "status"),
    [("erun_north", 200), ("director", 200), ("director_luce", 404), ("mediateur", 404)],
)
def test_a_school_pool_follows_the_school_rights(client, world, who, status):
    pool = LoanPool.objects.create(
        name="Routeurs de l'école", school=world["chartres"], kind="router_4g", quantity=3
    )
    client.force_login(world[who])
    assert client.get(reverse("equipment-loan-pool", args=[pool.pk])).status_code == status


# --- In Chromium --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_logistics_pages_work_in_a_browser_and_pass_axe(browser, world, live_server, axe):
    """A director records an installation, a médiateur lends; every page passes axe-core."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    def log_in(username):
        context.clear_cookies()
        page.goto(live_server.url + "/comptes/connexion/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill("pw-2026-x")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)

    log_in("director")
    page.goto(live_server.url + reverse("equipment-deployments"))
    page.get_by_role("link", name="Ajouter un déploiement").click()
    page.get_by_label("Équipement").select_option(label="tablettes")
    page.get_by_label("Quantité").fill("8")
    page.get_by_label("Financement").select_option(label="CNR Éducation")
    page.get_by_label("État").select_option(label="installé")
    page.get_by_label("Commandé le").fill("2026-01-05")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez la date d'installation.")).to_be_visible()
    expect(page.get_by_label("Quantité")).to_have_value("8")
    assert axe(page) == []
    page.get_by_label("Livré le").fill("2026-02-01")
    page.get_by_label("Installé le").fill("2026-02-03")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Déploiement enregistré")).to_be_visible()
    expect(page.get_by_role("table", name="Quantités par circonscription")).to_contain_text(
        "Chartres-Dreux"
    )
    assert axe(page) == []

    pool = LoanPool.objects.create(
        name="Portables du fablab", structure=world["fablab"], kind="laptop", quantity=2
    )
    loan(pool, "DOS-2026-001", due_on=TODAY - 4 * DAY)
    log_in("mediateur")
    page.goto(live_server.url + reverse("equipment-loans"))
    assert axe(page) == []
    page.get_by_role("link", name="Prêter : Portables du fablab").click()
    page.get_by_label("Référence de l'emprunteur").fill("DOS-2026-002")
    page.get_by_label("Nombre d'appareils").fill("2")
    page.get_by_label("À rendre le").fill((TODAY + 30 * DAY).isoformat())
    page.get_by_role("button", name="Enregistrer le prêt").click()
    expect(page.get_by_text("Il ne reste que 1 appareil disponible dans ce parc.")).to_be_visible()
    assert axe(page) == []
    page.get_by_label("Nombre d'appareils").fill("1")
    page.get_by_role("button", name="Enregistrer le prêt").click()
    expect(page.get_by_text("0 disponible", exact=True)).to_be_visible()
    assert axe(page) == []
    page.goto(live_server.url + reverse("equipment-loans-overdue"))
    expect(page.get_by_role("row", name="DOS-2026-001")).to_contain_text("4 jours")
    assert axe(page) == []
    page.get_by_role("button", name="Marquer rendu : prêt DOS-2026-001").click()
    expect(page.get_by_text("Aucun prêt en retard.")).to_be_visible()
    context.close()
