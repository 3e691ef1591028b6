"""Schools at national size: the Annuaire import rate, and the DSDEN map layer (GeoJSON by box)
at 60 000 schools, p95 beside the same answer by raw SQL.

.venv/bin/python benchmarks/schools.py [--rows 70000] [--queries 50]
"""

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, p95, setup_django, timed

SAMPLE = ROOT / "tests" / "fixtures" / "schools" / "annuaire-education-94-extract-2026.csv"


def national_annuaire(path: Path, rows: int, rng) -> None:
    """`rows` schools in the 2026 layout: the published Val-de-Marne rows, renumbered and
    spread over the départements, positions moved accordingly."""
    text = SAMPLE.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    sample = list(reader)
    deps = [f"{n:02d}" for n in range(1, 96) if n != 20]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, reader.fieldnames, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        for n in range(rows):
            row = dict(sample[n % len(sample)])
            dep = deps[n % len(deps)]
            lat = 43.0 + 6.5 * rng.random()
            lon = -1.0 + 8.0 * rng.random()
            row.update(
                {
                    "Identifiant_de_l_etablissement": f"{dep}{n:05d}{'ABCDEFGHJK'[n % 10]}",
                    "Code_departement": f"0{dep}",
                    "Code_commune": f"{dep}{(n % 300) + 1:03d}",
                    "latitude": f"{lat:.6f}",
                    "longitude": f"{lon:.6f}",
                    "position": f"{lat:.6f}, {lon:.6f}",
                    "coordX_origine": "",
                    "coordY_origine": "",
                    "multi_uai": "0",
                    "code_circonscription": f"{dep}{n % 40:04d}C",
                    "nom_circonscription": f"Circonscription {dep}-{n % 40}",
                }
            )
            writer.writerow(row)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from accounts import roles
    from accounts.services import ensure_role_groups
    from equipment.importers.schools import import_schools
    from equipment.models import Campaign, CensusAnswer, School

    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annuaire-national.csv"
        national_annuaire(path, args.rows, rng)
        start = time.perf_counter()
        report = import_schools(path)
        elapsed = time.perf_counter() - start
    print(
        f"Annuaire import: {args.rows} rows in {elapsed:.1f} s = {args.rows / elapsed:.0f} rows/s"
        f" ({report.count('Établissements scolaires')}, {len(report.warnings)} avertissement(s))"
    )

    # The map layer at 60 000 schools, half of them answering a campaign.
    schools = list(School.objects.order_by("pk")[:60_000])
    School.objects.exclude(pk__in=[s.pk for s in schools]).delete()
    School.objects.update(kind="elementaire")
    campaign = Campaign.objects.create(
        school_year="2025-2026", title="bench", opens_on="2025-09-01", closes_on="2025-12-19",
        kinds=["elementaire"],
    )  # fmt: skip
    CensusAnswer.objects.bulk_create(
        [
            CensusAnswer(campaign=campaign, school=s, pupils=rng.randint(20, 300),
                         laptops_total=8, laptops_pupils=8, connection="fibre", wifi="all",
                         platform="none", level=rng.randint(0, 4), level_reasons="bench")
            for s in schools[::2]
        ],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ensure_role_groups()
    user = get_user_model().objects.create_user("bench-dsden", "b@example.org", "x")
    user.groups.add(Group.objects.get(name=roles.DSDEN_STAFF))
    client = Client()
    client.force_login(user)

    def box():
        lat, lon = 43.5 + 5.5 * rng.random(), -0.5 + 7.0 * rng.random()
        return lon, lat, lon + 0.8, lat + 0.55  # about a département

    def layer():
        response = client.get(
            "/ecoles/carte.geojson", {"bbox": ",".join(f"{v:.4f}" for v in box())}
        )
        assert response.status_code == 200, response.content[:200]

    def layer_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT json_build_object('type', 'FeatureCollection', 'features',
                       coalesce(json_agg(json_build_object('type', 'Feature', 'id', s.uai,
                         'geometry', ST_AsGeoJSON(s.location, 6)::json,
                         'properties', json_build_object('name', s.name, 'level', a.level))),
                         '[]'))
                   FROM equipment_school s
                   LEFT JOIN equipment_censusanswer a
                     ON a.school_id = s.id AND a.campaign_id = %s
                   WHERE s.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)::geography""",
                [campaign.pk, *box()],
            )
            cursor.fetchone()

    layer()
    samples, raw = timed(layer, args.queries), timed(layer_sql, args.queries)
    sizes = len(client.get("/ecoles/carte.geojson", {"bbox": "1,48,1.8,48.55"}).content)
    print(
        f"school map layer (GeoJSON, a département-sized box, 60 000 schools): p95 "
        f"{p95(samples):.0f} ms, median {statistics.median(samples) * 1000:.0f} ms "
        f"| raw SQL p95 {p95(raw):.0f} ms (one box: {sizes / 1000:.0f} kB)"
    )


if __name__ == "__main__":
    main()
