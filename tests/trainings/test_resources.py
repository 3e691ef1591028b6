"""The resources library: accent-insensitive French search with facets, a resource's page and
download, readers' ratings and reports, proposals and moderation, rights per role, the API."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import SimpleRateThrottle

from accounts import roles
from accounts.services import grant, make_hub_admin
from trainings.models import Collection, Rating, Resource, ResourceReport, Theme
from trainings.resource_demo import load_demo_resources
from trainings.resources import unique_slug

from .registration_fixtures import make_session, workshop_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make(title, summary="Un résumé.", state=Resource.State.PUBLISHED, **values):
    values.setdefault("kind", Resource.Kind.SHEET)
    values.setdefault("licence", Resource.Licence.ETALAB)
    values.setdefault("url", "https://exemple.fr/ressource")
    values.setdefault("public_audiences", [Resource.PublicAudience.EVERYONE])
    slug = values.pop("slug", None) or unique_slug(title)
    themes = values.pop("themes", [])
    resource = Resource.objects.create(
        title=title, summary=summary, state=state, slug=slug, **values
    )
    resource.themes.set(Theme.objects.filter(slug__in=themes))
    return resource


def account(username, role=None, *territories):
    user = get_user_model().objects.create_user(username, f"{username}@exemple.fr", "pw")
    if role == roles.HUB_ADMINS:
        make_hub_admin(user, *territories)
    elif role:
        grant(user, role, *territories)
    return user


@pytest.fixture
def library():
    return {
        "securite": make(
            "Sécurité numérique : les bons réflexes",
            themes=["securite-numerique"],
            public_audiences=["seniors", "tout_public"],
        ),
        "smartphone": make(
            "Premiers pas avec son smartphone",
            kind=Resource.Kind.GUIDE,
            level=Resource.Level.FALC,
            themes=["smartphone"],
            public_audiences=["seniors"],
            professional_audiences=["mediateurs"],
        ),
        "ecrans": make(
            "Repères sur les écrans selon l’âge",
            kind=Resource.Kind.MILESTONES,
            licence=Resource.Licence.RESERVED,
            themes=["temps-ecran"],
            public_audiences=["parents"],
            professional_audiences=["enseignants"],
        ),
        "withdrawn": make("Sécurité ancienne version", state=Resource.State.WITHDRAWN),
        "proposed": make("Sécurité en attente", state=Resource.State.PROPOSED),
    }


def titles(response) -> list[str]:
    return [r["title"] for r in response.json()["results"]]


# Search ---------------------------------------------------------------------------------------


def test_search_ignores_accents_and_finds_word_forms(library, client):
    page = client.get("/ressources/", {"q": "securite"}).content.decode()
    assert "Sécurité numérique : les bons réflexes" in page
    assert "1 ressource" in page  # neither the withdrawn nor the proposed one
    assert "Sécurité ancienne version" not in page and "Sécurité en attente" not in page
    page = client.get("/ressources/", {"q": "smartphones"}).content.decode()
    assert "Premiers pas avec son smartphone" in page
    assert titles(client.get("/api/resources/", {"q": "ÉCRANS"})) == [
        "Repères sur les écrans selon l’âge"
    ]
    # A word being typed counts as a beginning; quotes and "-" keep their meaning.
    assert titles(client.get("/api/resources/", {"q": "smartph"})) == [
        "Premiers pas avec son smartphone"
    ]
    assert titles(client.get("/api/resources/", {"q": "secu reflex"})) == [
        "Sécurité numérique : les bons réflexes"
    ]
    assert titles(client.get("/api/resources/", {"q": "securite -reflexes"})) == []
    assert titles(client.get("/api/resources/", {"q": '"bons réflexes"'})) == [
        "Sécurité numérique : les bons réflexes"
    ]
    assert client.get("/api/resources/", {"q": "a:* & | ! ( '"}).status_code == 200


def test_facets_count_what_each_choice_would_give(library, client):
    page = client.get("/ressources/", {"public": "seniors"}).content.decode()
    assert "2 ressources" in page
    # Other facets count within the chosen public; the public facet keeps its own choices open.
    assert "Guide (1)" in page and "Fiche pratique (1)" in page and "Repères par âge" not in page
    assert "Parents (1)" in page and "Seniors (2)" in page
    assert "Facile à lire et à comprendre (FALC) (1)" in page
    # Values within a facet widen, facets narrow.
    both = client.get("/api/resources/", {"public": ["seniors", "parents"]})
    assert both.json()["count"] == 3
    narrowed = client.get(
        "/api/resources/", {"public": ["seniors", "parents"], "pro": "enseignants"}
    )
    assert titles(narrowed) == ["Repères sur les écrans selon l’âge"]
    by_theme = client.get("/api/resources/", {"theme": "smartphone", "niveau": "falc"})
    assert titles(by_theme) == ["Premiers pas avec son smartphone"]


def test_an_empty_search_suggests_what_to_drop_and_unknown_values_are_ignored(library, client):
    Collection.objects.create(title="Kit des parents", slug="kit-des-parents", summary="…")
    response = client.get("/ressources/", {"q": "securite", "public": "parents"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aucune ressource ne correspond à votre recherche" in page
    assert "Retirer « parents »</a> (1 ressource)" in page
    assert "Retirer les mots « securite »</a> (1 ressource)" in page
    assert "Kit des parents" in page
    assert client.get("/ressources/", {"type": "nimporte", "page": "x"}).status_code == 200
    assert client.get("/api/resources/", {"licence": "%", "type": "x"}).json()["count"] == 3


# A resource's page, file and link ----------------------------------------------------------------


def test_a_proposed_or_withdrawn_resource_is_not_public(library, client):
    assert client.get(f"/ressources/{library['securite'].slug}/").status_code == 200
    assert client.get(f"/ressources/{library['proposed'].slug}/").status_code == 404
    assert client.get(f"/ressources/{library['withdrawn'].slug}/").status_code == 404
    assert client.get(f"/api/resources/{library['proposed'].slug}/").status_code == 404


@pytest.fixture
def mediateur(db):
    return account("mediatrice", roles.MEDIATEURS)


def proposal(**values):
    data = {
        "title": "Mon atelier courriel",
        "summary": "Déroulé d’un atelier.",
        "kind": "support",
        "professional_audiences": ["mediateurs"],
        "themes": [Theme.objects.get(slug="boite-mail").pk],
        "licence": "cc-by-sa-4.0",
        "level": "courant",
        "url": "https://exemple.fr/atelier",
    }
    data.update(values)
    return data


def test_a_javascript_link_is_refused(mediateur, client):
    client.force_login(mediateur)
    response = client.post("/ressources/proposer/", proposal(url="javascript:alert(1)"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Saisissez une adresse web commençant par http:// ou https://." in page
    assert 'value="Mon atelier courriel"' in page  # what was typed is kept
    assert not Resource.objects.exists()


def test_an_oversize_or_disguised_file_is_refused_in_french(mediateur, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mediateur)
    big = SimpleUploadedFile("guide.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    page = client.post("/ressources/proposer/", proposal(url="", file=big)).content.decode()
    assert "Fichier trop volumineux (10.0 Mo) : 10 Mo au plus." in page
    page = client.post(
        "/ressources/proposer/",
        proposal(url="", file=SimpleUploadedFile("page.html", b"<script>", "text/html")),
    ).content.decode()
    assert "Type de fichier refusé (.html)" in page
    disguised = SimpleUploadedFile("fiche.pdf", b"<html><script>", "application/pdf")
    page = client.post("/ressources/proposer/", proposal(url="", file=disguised)).content.decode()
    assert "Le contenu du fichier ne correspond pas à son extension .pdf" in page
    page = client.post("/ressources/proposer/", proposal(url="")).content.decode()
    assert "Donnez un lien ou joignez un fichier." in page
    assert not Resource.objects.exists()


def test_a_file_is_stored_under_a_safe_name_and_served_as_a_download(
    mediateur, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mediateur)
    upload = SimpleUploadedFile("../../Fiche Été <1>.PDF", PDF, "application/pdf")
    response = client.post("/ressources/proposer/", proposal(url="", file=upload))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file.name.startswith("ressources/") and resource.file.name.endswith(
        "/fiche-ete-1.pdf"
    )
    assert (tmp_path / resource.file.name).read_bytes() == PDF
    download = client.get(f"/ressources/{resource.slug}/telecharger/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="mon-atelier-courriel.pdf"'
    assert b"".join(download.streaming_content) == PDF
    client.logout()  # not published yet: nobody else downloads it
    assert client.get(f"/ressources/{resource.slug}/telecharger/").status_code == 404


# Ratings and reports -----------------------------------------------------------------------------


def test_a_reader_rates_once_from_1_to_4(library, client, mediateur):
    url = f"/ressources/{library['securite'].slug}/avis/"
    response = client.post(url, {"value": "5"})
    assert response.status_code == 400
    assert "Choisissez une note de 1 à 4." in response.content.decode()
    assert (
        client.post(url, {"value": "3"}, follow=True)
        .content.decode()
        .count("Merci pour votre avis.")
    )
    page = client.post(url, {"value": "4"}, follow=True).content.decode()
    assert "Votre avis remplace celui que vous aviez donné." in page
    assert "Utilité selon les lecteurs : 4,0 sur 4 (1 avis)" in page
    client.force_login(mediateur)  # another reader
    client.post(url, {"value": "2"})
    client.post(url, {"value": "1"})
    assert sorted(Rating.objects.values_list("value", flat=True)) == [1, 4]
    assert (
        client.get("/api/resources/", {"q": "securite"}).json()["results"][0]["rating_count"] == 2
    )
    # Only published resources receive ratings.
    assert (
        client.post(f"/ressources/{library['withdrawn'].slug}/avis/", {"value": "4"}).status_code
        == 404
    )


def test_anonymous_feedback_is_throttled(library, client, monkeypatch):
    cache.clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "resource_feedback", "2/hour")
    url = f"/ressources/{library['securite'].slug}/"
    statuses = [client.post(url + "avis/", {"value": "3"}).status_code for _ in range(2)]
    statuses.append(client.post(url + "signaler/", {"kind": "lien"}).status_code)
    assert statuses == [302, 302, 429]
    assert client.get(url + "signaler/").status_code == 200  # reading the form is not limited
    cache.clear()


def test_a_report_reaches_the_moderators_queue_and_is_resolved(library, client, mediateur):
    url = f"/ressources/{library['securite'].slug}/signaler/"
    response = client.post(url, {"kind": "autre", "email": "pas-une-adresse"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Décrivez le problème." in page and "Saisissez une adresse électronique valide" in page
    assert not ResourceReport.objects.exists()
    client.post(url, {"kind": "lien", "message": "Le lien mène à une page d’erreur."})
    report = ResourceReport.objects.get()
    assert (report.kind, report.status) == ("lien", "open")
    admin = account("moderatrice", roles.HUB_ADMINS)
    client.force_login(mediateur)  # not a moderator
    assert client.get("/ressources/moderation/").status_code == 403
    assert client.post(f"/ressources/signalements/{report.pk}/traiter/").status_code == 404
    client.force_login(admin)
    queue = client.get("/ressources/moderation/").content.decode()
    assert "Le lien mène à une page d’erreur." in queue
    client.post(f"/ressources/signalements/{report.pk}/traiter/")
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == ("resolved", admin)
    assert "Aucun signalement à traiter." in client.get("/ressources/moderation/").content.decode()


# Contribution, moderation and rights -------------------------------------------------------------


def test_a_proposal_is_moderated_then_published(client, mediateur):
    client.force_login(mediateur)
    response = client.post("/ressources/proposer/", proposal(), follow=True)
    assert "votre proposition sera publiée après relecture" in response.content.decode()
    resource = Resource.objects.get()
    assert (resource.state, resource.contributor, resource.slug) == (
        "proposee",
        mediateur,
        "mon-atelier-courriel",
    )
    assert list(resource.themes.values_list("slug", flat=True)) == ["boite-mail"]
    page = client.get("/ressources/").content.decode()
    assert "Vos propositions en attente de relecture" in page
    assert 'href="/ressources/mon-atelier-courriel/">Mon atelier courriel</a>' in page
    client.logout()
    assert client.get("/ressources/mon-atelier-courriel/").status_code == 404
    assert "Mon atelier courriel" not in client.get("/ressources/").content.decode()
    admin = account("moderatrice", roles.HUB_ADMINS)
    client.force_login(admin)
    assert "Mon atelier courriel" in client.get("/ressources/moderation/").content.decode()
    client.post("/ressources/mon-atelier-courriel/moderer/", {"decision": "publier"})
    client.logout()
    assert "Mon atelier courriel" in client.get("/ressources/", {"q": "courriel"}).content.decode()
    assert (
        client.get("/api/resources/mon-atelier-courriel/").json()["title"] == "Mon atelier courriel"
    )
    client.force_login(admin)
    client.post("/ressources/mon-atelier-courriel/moderer/", {"decision": "retirer"})
    client.logout()
    assert client.get("/ressources/mon-atelier-courriel/").status_code == 404


def test_rights_per_role(library, client, mediateur):
    other = account("autre-mediateur", roles.MEDIATEURS)
    dsden = account("agent-dsden", roles.DSDEN_STAFF, ("departement", "28"))
    public = account("habitant")
    mine = make("Ma proposition", state=Resource.State.PROPOSED, contributor=mediateur)
    # The public proposes nothing; médiateurs and DSDEN staff do.
    client.force_login(public)
    assert client.get("/ressources/proposer/").status_code == 403
    for user in (mediateur, dsden):
        client.force_login(user)
        assert client.get("/ressources/proposer/").status_code == 200
    # A médiateur edits their own proposal, neither another's (404: out of view) nor a
    # published resource (403), and publishes nothing.
    client.force_login(mediateur)
    assert client.get(f"/ressources/{mine.slug}/modifier/").status_code == 200
    response = client.post(
        f"/ressources/{mine.slug}/modifier/",
        proposal(title="Ma proposition revue"),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Ma proposition revue" and mine.state == "proposee"
    assert (
        client.post(f"/ressources/{mine.slug}/moderer/", {"decision": "publier"}).status_code == 403
    )
    assert client.get(f"/ressources/{library['securite'].slug}/modifier/").status_code == 403
    client.force_login(other)
    assert client.get(f"/ressources/{mine.slug}/").status_code == 404
    assert client.get(f"/ressources/{mine.slug}/modifier/").status_code == 404
    assert (
        client.post(f"/ressources/{mine.slug}/moderer/", {"decision": "publier"}).status_code == 404
    )
    # DSDEN staff propose but moderate nothing either.
    client.force_login(dsden)
    published = library["securite"].slug
    assert (
        client.post(f"/ressources/{published}/moderer/", {"decision": "retirer"}).status_code == 403
    )
    assert client.get("/ressources/moderation/").status_code == 403
    mine.refresh_from_db()
    assert mine.state == "proposee"
    assert Resource.objects.get(slug=published).state == "publiee"
    # The API writes nothing.
    client.force_login(mediateur)
    assert client.delete(f"/api/resources/{library['securite'].slug}/").status_code == 405
    assert client.patch(f"/api/resources/{library['securite'].slug}/", {}).status_code == 405


def test_the_menu_leads_to_the_library_and_moderators_to_their_queue(client, library):
    assert 'href="/ressources/"' in client.get("/").content.decode()
    client.force_login(account("moderatrice", roles.HUB_ADMINS))
    assert 'href="/ressources/moderation/"' in client.get("/ressources/").content.decode()


def test_the_demo_loads_marked_resources_and_three_collections_twice_alike(client):
    assert load_demo_resources() == load_demo_resources()
    assert Resource.objects.count() == 12 and Resource.objects.filter(is_demo=False).count() == 0
    assert Resource.objects.filter(state="proposee").count() == 1
    assert Collection.objects.count() == 3
    page = client.get("/ressources/collections/kit-des-parents/").content.decode()
    assert "Démonstration" in page
    assert page.index("Repères 3-6-9-12") < page.index("Cyberharcèlement : réagir")
    page = client.get("/ressources/", {"q": "securite"}).content.decode()
    assert "Sécurité numérique : les bons réflexes au quotidien" in page
    api = client.get("/api/resource-collections/kit-des-parents/").json()
    assert api["resources"][0] == "reperes-3-6-9-12-les-ecrans-selon-l-age"
    for resource in Resource.objects.all():
        assert resource.url.startswith("https://")


def test_hub_administrators_keep_the_library_in_the_admin_with_the_same_checks(
    library, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(account("moderatrice", roles.HUB_ADMINS))
    page = client.get("/admin/trainings/resource/", {"state__exact": "proposee"}).content.decode()
    assert "Sécurité en attente" in page and "Sécurité numérique : les bons réflexes" not in page
    assert client.get("/admin/trainings/resource/add/").status_code == 200
    assert (
        client.get(f"/admin/trainings/resource/{library['ecrans'].pk}/change/").status_code == 200
    )
    data = {
        **proposal(url="javascript:alert(1)"),
        "slug": "piege",
        "state": "publiee",
        "file": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", "image/svg+xml"),
    }
    page = client.post("/admin/trainings/resource/add/", data).content.decode()
    assert "Saisissez une adresse web commençant par http:// ou https://." in page
    assert "Type de fichier refusé (.svg)" in page
    assert not Resource.objects.filter(slug="piege").exists()
    client.post(
        "/admin/trainings/resource/",
        {"action": "publish", "_selected_action": [library["proposed"].pk]},
    )
    library["proposed"].refresh_from_db()
    assert library["proposed"].state == "publiee" and library["proposed"].published_at
    assert client.get("/admin/trainings/collection/add/").status_code == 200
    assert client.get("/admin/trainings/resourcereport/").status_code == 200


def test_a_resource_leads_to_the_next_sessions_of_its_trainings(
    library, client, workshop, mediateur
):
    resource = library["smartphone"]
    resource.trainings.add(workshop.training)
    make_session(workshop.training, workshop.place, days=-3)  # over: not shown
    make_session(workshop.training, workshop.place, days=9, is_public=False)  # internal
    page = client.get(f"/ressources/{resource.slug}/").content.decode()
    assert "Formations liées" in page and "Premiers pas sur smartphone" in page
    assert page.count(f'href="/ateliers/{workshop.session.pk}/"') == 1
    assert len(re.findall(r'href="/ateliers/\d+/"', page)) == 1
    # A proposal links trainings the contributor sees.
    client.force_login(mediateur)
    client.post(
        "/ressources/proposer/", proposal(trainings=[workshop.training.pk], title="Fiche liée")
    )
    assert list(Resource.objects.get(title="Fiche liée").trainings.all()) == [workshop.training]


def test_a_replaced_or_deleted_file_leaves_the_storage(
    mediateur, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mediateur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/ressources/proposer/", proposal(url="", file=SimpleUploadedFile("a.pdf", PDF))
        )
    first = Resource.objects.get().file.name
    assert (tmp_path / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ressources/mon-atelier-courriel/modifier/",
            proposal(url="", file=SimpleUploadedFile("b.pdf", PDF)),
        )
    assert response.status_code == 302
    second = Resource.objects.get().file.name
    assert second != first and not (tmp_path / first).exists() and (tmp_path / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        Resource.objects.all().delete()
    assert not (tmp_path / second).exists()
