"""Places at scale: import rate, directory search and bbox GeoJSON p95, beside raw SQL.

.venv/bin/python benchmarks/places.py --rows 30000
"""

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

from common import p95, setup_django, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from actors import standard
    from actors.demo import KINDS, row_for
    from actors.directory import search
    from actors.importers.places import import_places
    from cartography.importers.territory import TerritorySources, import_territory
    from cartography.models import Commune

    import_territory("28", TerritorySources.demo())

    rng = random.Random(1)
    communes = list(Commune.objects.all())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=standard.FIELDS, lineterminator="\n")
            writer.writeheader()
            for n in range(args.rows):
                row = row_for(rng.choice(list(KINDS)), rng.choice(communes), n, rng)
                row["latitude"] = f"{float(row['latitude']) + rng.uniform(-0.02, 0.02):.5f}"
                row["longitude"] = f"{float(row['longitude']) + rng.uniform(-0.02, 0.02):.5f}"
                row["pivot"] = f"{rng.randint(10**13, 10**14 - 1)}"
                writer.writerow(row)
        start = time.perf_counter()
        report = import_places(path, source="bench")
        elapsed = time.perf_counter() - start
    print(
        f"import: {args.rows} rows in {elapsed:.1f} s = {args.rows / elapsed:.0f} rows/s "
        f"({report.count('Lieux')}, {len(report.rejections)} rejected)"
    )

    client = Client()
    needs = standard.SERVICES

    def search_page():
        commune = rng.choice(communes)
        data = {
            "besoin": rng.choice(needs),
            "point": commune.geometry.point_on_surface,
            "distance": "10",
        }
        list(search(data).places[:20])

    def search_sql():
        commune = rng.choice(communes)
        point = commune.geometry.point_on_surface
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT p.id, p.name, ST_Distance(p.location, ST_GeogFromText(%s)) AS d
                   FROM actors_place p
                   WHERE ST_DWithin(p.location, ST_GeogFromText(%s), 10000)
                     AND p.id IN (SELECT place_id FROM actors_offer WHERE service = %s)
                   ORDER BY d LIMIT 20""",
                [point.wkt, point.wkt, rng.choice(needs)],
            )
            cursor.fetchall()

    def bbox():
        c = rng.choice(communes).geometry.point_on_surface
        box = f"{c.x - 0.1:.4f},{c.y - 0.07:.4f},{c.x + 0.1:.4f},{c.y + 0.07:.4f}"
        response = client.get("/api/places/", {"format": "geojson", "bbox": box, "page_size": 5000})
        assert response.status_code == 200, response.content[:200]

    def bbox_sql():
        c = rng.choice(communes).geometry.point_on_surface
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT json_build_object('type','FeatureCollection','features',
                     coalesce(json_agg(json_build_object('type','Feature','id',id,
                       'geometry',ST_AsGeoJSON(location)::json,
                       'properties',json_build_object('name',name))), '[]'))
                   FROM actors_place
                   WHERE location && ST_MakeEnvelope(%s,%s,%s,%s,4326)::geography""",
                [c.x - 0.1, c.y - 0.07, c.x + 0.1, c.y + 0.07],
            )
            cursor.fetchone()

    for label, fn, raw in [
        ("directory search (need + 10 km, first page)", search_page, search_sql),
        ("bbox GeoJSON API (≈15 × 15 km)", bbox, bbox_sql),
    ]:
        fn()
        samples, raw_samples = timed(fn, args.queries), timed(raw, args.queries)
        print(
            f"{label}: p95 {p95(samples):.1f} ms, median {statistics.median(samples) * 1000:.1f} ms"
            f" | raw SQL p95 {p95(raw_samples):.1f} ms"
        )


if __name__ == "__main__":
    main()
