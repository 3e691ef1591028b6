"""The demo `bin/hub run` loads shows something on every page a demo account opens: a
médiateur's listings, deployments and loans for DSDEN and ERUN, buildings on the coverage map."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from cartography.demo_buildings import load_demo_buildings
from tests.crawl import test_crawl

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
demo = test_crawl.demo  # the demo loaded once for the module, as for the crawl


def page(client, username: str, url: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def body_rows(html: str) -> int:
    tbody = html[html.index("<tbody>") : html.index("</tbody>")]
    return len(re.findall(r"<tr[ >]", tbody))


def test_the_demo_mediateur_keeps_the_listings_of_a_demo_structure(client):
    html = page(client, "mediateur-demo", "/espace/")
    assert "Réseau des espaces publics numériques d’Eure-et-Loir (démonstration)" in html
    edits = re.findall(r'href="(/espace/lieux/\d+/modifier/)"', html)
    assert len(edits) >= 6
    assert "Horaires d’ouverture" in page(client, "mediateur-demo", edits[0])
    loans = page(client, "mediateur-demo", "/ecoles/prets/")
    assert "Tablettes prêtées par les espaces numériques (démonstration)" in loans


class FormValues(HTMLParser):
    """What a browser would send for the page's form as it stands (inputs, checked boxes,
    text areas, selected options)."""

    def __init__(self):
        super().__init__()
        self.values, self.textarea, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values.append((self.textarea, ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.values.append((self.select, a.get("value") or ""))

    def handle_data(self, data):
        if self.textarea:
            self.values[-1] = (self.textarea, self.values[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_values(html: str) -> dict:
    parser = FormValues()
    parser.feed(html[html.index('<form method="post" novalidate>') :])
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(
            value.strip("\n") if name.endswith("description") else value
        )
    return data


def test_the_demo_mediateur_s_history_shows_only_their_edit(client):
    html = page(client, "mediateur-demo", "/espace/")
    edit = re.findall(r'href="(/espace/lieux/\d+/modifier/)"', html)[0]
    data = form_values(page(client, "mediateur-demo", edit))
    data |= {"hours-Mo_1_start": "9", "hours-Mo_1_end": "12"}
    assert client.post(edit, data).status_code == 302
    history = page(client, "mediateur-demo", edit.replace("modifier", "historique"))
    latest = history[history.index("<tbody>") : history.index("</tr>", history.index("<tbody>"))]
    assert "mediateur-demo" in latest and "horaires d’ouverture" in latest
    assert "lundi 9 h – 12 h" in latest
    rows_by_mediateur = re.findall(r"<td>mediateur-demo</td>\s*<td>([^<]*)</td>", history)
    assert rows_by_mediateur == ["horaires d’ouverture"]  # the demo's own steps are by "import"


@pytest.mark.parametrize("username", ["dsden-demo", "erun-demo"])
def test_deployments_and_loans_have_rows(client, username):
    deployments = page(client, username, "/ecoles/deploiements/")
    assert body_rows(deployments) >= 5
    loans = page(client, username, "/ecoles/prets/")
    assert body_rows(loans) >= 3
    assert "(démonstration)" in loans
    overdue = page(client, username, "/ecoles/prets/en-retard/")
    assert body_rows(overdue) >= 2
    assert "DEMO-2025-01" in overdue


def test_the_buildings_layer_shows_streets_of_chartres(client):
    response = client.get("/api/coverage/buildings/?bbox=1.478,48.442,1.492,48.450")
    features = response.json()["features"]
    assert len(features) >= 50
    assert all(f["id"].startswith("IMB/28085/DEMO/") for f in features)
    assert {f["properties"]["state"] for f in features} >= {"deploye", "raccordable_demande"}
    assert "données de démonstration" in features[0]["properties"]["address"]
    again = load_demo_buildings()  # a second `bin/hub run` imports nothing twice
    counts = again.counts["Immeubles"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 72)
