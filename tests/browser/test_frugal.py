"""A person on a weak phone connection: a public page, served as production serves it
(gunicorn, WhiteNoise, compressed and hashed static files), costs under 300 KB the first time
and little on the next visit."""

import pytest

from actors.demo import load_demo_places
from actors.models import Place
from tests.browser.test_production import production_server, production_static  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def transferred(page, url: str) -> tuple[int, int]:
    """Bytes received over the network (headers included) and requests, until the page and
    its map layers are loaded."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    received, requests = [], set()
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    cdp.on("Network.requestWillBeSent", lambda e: requests.add(e["requestId"]))
    cdp.on("Network.requestServedFromCache", lambda e: requests.discard(e["requestId"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    cdp.detach()
    return sum(received), len(requests)


@pytest.mark.parametrize("which", ["directory", "place"])
def test_a_public_page_with_its_map_weighs_under_300_kb(page, territory_28, which, request):
    server = request.getfixturevalue("production_server")  # imported above
    load_demo_places()
    path = "/lieux/" if which == "directory" else f"/lieux/{Place.objects.order_by('pk')[0].pk}/"
    page.set_viewport_size({"width": 375, "height": 812})
    first, requests = transferred(page, server + path)
    assert page.locator("main h1").count() == 1
    assert page.locator(".leaflet-container").count() == 1  # the map is there and drawn
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Marianne")
    # The header's icons come from the hub's cut of the DSFR icon sheet.
    lock = page.evaluate(
        "getComputedStyle(document.querySelector('.fr-icon-lock-line'), '::before').maskImage"
    )
    assert "lock-line" in lock
    assert first < 300_000, f"{path} : {first} octets en {requests} requêtes"
    again, _ = transferred(page, server + path)
    assert again < 60_000, f"{path} (visite répétée) : {again} octets"
