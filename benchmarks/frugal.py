"""What the public's browser receives from the hub as `bin/hub run` serves it.

Starts `bin/hub run` (gunicorn, WhiteNoise, debug off, the Eure-et-Loir demo) on a fresh
database of its own and a port of its own, or measures a server already running (`--url`).
Prints, in Debian's Chromium (Playwright, CDP Network events):
- each public page's bytes transferred and requests, on a first load (empty cache) and on a
  repeat visit (the browser's cache kept), against the goals of 300 KB and 60 KB;
- first paint and first contentful paint of `/`, `/lieux/` and a place page under DevTools'
  "Fast 3G" throttling (562.5 ms latency, 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up), goal 2.5 s;
and the commune layer's p95 under 20 concurrent clients (built, from the cache, revalidated
with its ETag) beside the raw SQL producing the same bytes under 20 concurrent connections.

    .venv/bin/python benchmarks/frugal.py [--url http://127.0.0.1:8000] [--port 8102]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, p95

DATABASE = "hub_bench_frugal"
PAGE_GOAL, REPEAT_GOAL, PAINT_GOAL = 300_000, 60_000, 2.5
# DevTools' "Fast 3G" preset (Chromium's front_end/core/sdk/NetworkManager.ts).
FAST_3G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]
CLIENTS, REQUESTS_EACH = 20, 10
LAYER = "/api/communes/?departement=28"
# The SQL that writes the same FeatureCollection as the layer (outlines at zoom 9: one pixel,
# 3 decimals, as cartography.api.simplification(9) says).
LAYER_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'count', count(*), 'next', NULL,
  'previous', NULL, 'features', coalesce(json_agg(json_build_object(
    'id', c.code, 'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(c.geometry, %(tolerance)s)),
                             3)::json,
    'properties', json_build_object('code', c.code, 'name', c.name, 'population', c.population,
      'departement', d.code, 'epci', e.siren, 'epci_name', e.name)) ORDER BY c.code), '[]'))::text
FROM cartography_commune c JOIN cartography_departement d ON d.id = c.departement_id
LEFT JOIN cartography_epci e ON e.id = c.epci_id WHERE d.code = '28'
"""


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def start_hub(port: int) -> subprocess.Popen:
    """`bin/hub run` on a fresh database, its own port and Redis databases."""
    import psycopg

    with psycopg.connect(host=str(ROOT / "var" / "run"), user="hub", dbname="postgres") as c:
        c.autocommit = True
        c.execute(f"drop database if exists {DATABASE}")
        c.execute(f"create database {DATABASE}")
    env = {
        **os.environ,
        "HUB_DATABASE_NAME": DATABASE,
        "HUB_PORT": str(port),
        "REDIS_BROKER_DB": os.environ.get("REDIS_BROKER_DB", "12"),
        "REDIS_CACHE_DB": os.environ.get("REDIS_CACHE_DB", "13"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(ROOT / "var" / "log" / "bench-frugal.log", "w")  # noqa: SIM115 - the server's
    process = subprocess.Popen(
        [str(ROOT / "bin" / "hub"), "run"], cwd=ROOT, env=env, stdout=log, stderr=log,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 1800  # first run: collectstatic and the demo import
    while not port_open(port):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"bin/hub run n'a pas démarré : voir {log.name}")
        time.sleep(1)
    return process


def public_pages(base: str) -> list[str]:
    places = json.load(urllib.request.urlopen(base + "/api/places/?page_size=1"))
    place = places["results"][0]["id"] if "results" in places else places["features"][0]["id"]
    pages = ["/", "/lieux/", f"/lieux/{place}/", "/couverture/", "/ecoles/communes/"]
    pages += ["/territoires/departement/28/", "/territoires/commune/28085/", "/tableaux-de-bord/"]
    for legal in ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]:
        try:
            urllib.request.urlopen(base + legal)
            pages.append(legal)
        except OSError:
            pass
    return pages


class Traffic:
    """Bytes and requests a page sends over the network, from the DevTools protocol."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.reset()
        self.cdp.on("Network.requestWillBeSent", lambda e: self.sent.add(e["requestId"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.loadingFinished", self._finished)

    def reset(self):
        self.sent, self.cached, self.bytes = set(), set(), 0

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]

    @property
    def requests(self) -> int:
        return len(self.sent - self.cached)


def settle(page):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def measure_pages(browser, base: str, pages: list[str]) -> list[tuple]:
    rows = []
    for path in pages:
        context = browser.new_context(viewport={"width": 375, "height": 812})
        page = context.new_page()
        traffic = Traffic(page)
        page.goto(base + path)
        settle(page)
        first = (traffic.bytes, traffic.requests)
        traffic.reset()
        page.goto(base + path)
        settle(page)
        rows.append((path, *first, traffic.bytes, traffic.requests))
        context.close()
    return rows


def first_paint(browser, url: str) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    page.goto(url, wait_until="load", timeout=120_000)
    paints = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))"
    )
    context.close()
    return paints.get("first-paint", 0) / 1000, paints.get("first-contentful-paint", 0) / 1000


def get(base: str, path: str, headers: dict) -> tuple[float, int, int]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Accept-Encoding": "gzip", **headers})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed, response.status, len(body)


def concurrently(task) -> list[float]:
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        runs = [pool.submit(task) for _ in range(CLIENTS * REQUESTS_EACH)]
        return [run.result() for run in runs]


def layer_figures(base: str, database: str) -> None:
    import psycopg

    etag = urllib.request.urlopen(base + LAYER).headers["ETag"]
    # Built: a zoom nobody asked before, so neither the server nor its cache has it.
    zooms = iter(range(10_000))

    def built():
        return get(base, f"{LAYER}&page_size={1000 + next(zooms) % 4000}", {})[0]

    def cached():
        return get(base, LAYER, {})[0]

    def revalidated():
        elapsed, status, _ = get(base, LAYER, {"If-None-Match": etag})
        assert status == 304, status
        return elapsed

    _, _, sent = get(base, LAYER, {})
    plain = len(urllib.request.urlopen(base + LAYER).read())
    tolerance = 360 / (256 * 2**9)
    dsn = {"host": str(ROOT / "var" / "run"), "user": "hub", "dbname": database}
    with psycopg.connect(**dsn) as c:
        raw_bytes = len(c.execute(LAYER_SQL, {"tolerance": tolerance}).fetchone()[0])

    def raw_sql():
        with psycopg.connect(**dsn) as c:
            start = time.perf_counter()
            c.execute(LAYER_SQL, {"tolerance": tolerance}).fetchone()
            return time.perf_counter() - start

    print(f"\nCouche des communes d'Eure-et-Loir ({LAYER}), {CLIENTS} clients simultanés :")
    print(f"  envoyée compressée : {sent / 1000:.1f} Ko ({plain / 1000:.1f} Ko non compressée) ;"
          f" SQL brut, même GeoJSON : {raw_bytes / 1000:.1f} Ko")  # fmt: skip
    for label, task in [
        ("construite à chaque requête", built),
        ("depuis le cache (même version)", cached),
        ("revalidée (304 par ETag)", revalidated),
        ("SQL brut, même contenu", raw_sql),
    ]:
        print(f"  {label:32} p95 {p95(concurrently(task)):8.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="un hub déjà lancé par bin/hub run (sinon, il est lancé)")
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--database", default=None, help="sa base, pour le SQL brut (--url)")
    args = parser.parse_args()
    process = None
    if args.url:
        base, database = args.url.rstrip("/"), args.database or "hub"
    else:
        process = start_hub(args.port)
        base, database = f"http://127.0.0.1:{args.port}", DATABASE
    try:
        from playwright.sync_api import sync_playwright

        pages = public_pages(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            rows = measure_pages(browser, base, pages)
            print(f"\nPages publiques ({base}, Chromium 375 px) : premier chargement puis visite")
            print(f"répétée ; objectifs {PAGE_GOAL // 1000} Ko et {REPEAT_GOAL // 1000} Ko")
            print(f"{'page':34} {'1re fois':>10} {'req.':>5} {'répétée':>10} {'req.':>5}")
            for path, first, n_first, repeat, n_repeat in rows:
                flag = "" if first <= PAGE_GOAL and repeat <= REPEAT_GOAL else "  <- au-delà"
                print(f"{path:34} {first / 1000:8.1f} Ko {n_first:5} {repeat / 1000:8.1f} Ko"
                      f" {n_repeat:5}{flag}")  # fmt: skip
            print("\nPremier affichage sous « Fast 3G » (objectif 2,5 s) :")
            for path in pages[:3]:
                paint, contentful = first_paint(browser, base + path)
                flag = "" if contentful <= PAINT_GOAL else "  <- au-delà"
                print(f"  {path:30} first paint {paint:5.2f} s, first contentful paint "
                      f"{contentful:5.2f} s{flag}")  # fmt: skip
            browser.close()
        layer_figures(base, database)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
