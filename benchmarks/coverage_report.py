"""The département coverage report (PDF) at the size of the largest départements: a synthetic
900-commune département (Pas-de-Calais has 890) made of Eure-et-Loir's real outlines, copied
side by side with their coverage figures, beside Eure-et-Loir itself. Prints, per département,
the figures' raw SQL, the map's SQL, each step of the PDF and the PDF's total time.

.venv/bin/python benchmarks/coverage_report.py [--communes 900] [--runs 3]
"""

import argparse
import statistics
import time

from common import setup_django

SYNTHETIC = "62"  # the synthetic département takes Pas-de-Calais' code (and about its size)


def synthetic_departement(communes: int) -> None:
    """`communes` communes in `SYNTHETIC`, copies of 28's outlines shifted east by whole widths
    of the département, in EPCI of about 40 communes, each with its model's coverage rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cartography_departement (code, name, geometry) "
            "VALUES (%s, 'Département synthétique', NULL)",
            [SYNTHETIC],
        )
        cursor.execute(
            """
            INSERT INTO cartography_epci (siren, name, legal_form, seat_departement_code)
            SELECT lpad((900000000 + g)::text, 9, '0'), 'CC synthétique ' || g, 'CC', %s
            FROM generate_series(0, %s / 40) g
            """,
            [SYNTHETIC, communes],
        )
        cursor.execute(
            """
            WITH src AS (
                SELECT row_number() OVER (ORDER BY c.code) - 1 AS n, c.*
                FROM cartography_commune c JOIN cartography_departement d
                  ON d.id = c.departement_id AND d.code = '28'),
            size AS (SELECT count(*) AS total,
                            ST_XMax(ST_Extent(geometry)) - ST_XMin(ST_Extent(geometry)) AS w
                     FROM src)
            INSERT INTO cartography_commune (code, name, departement_id, epci_id, geometry,
                                             population)
            SELECT %(dep)s || lpad((i + 1)::text, 3, '0'),
                   src.name || CASE WHEN i >= size.total THEN ' ' || (i / size.total + 1)::text
                                    ELSE '' END,
                   (SELECT id FROM cartography_departement WHERE code = %(dep)s),
                   (SELECT id FROM cartography_epci
                    WHERE siren = lpad((900000000 + i / 40)::text, 9, '0')),
                   ST_Translate(src.geometry, size.w * (i / size.total + 1), 0),
                   src.population
            FROM generate_series(0, %(communes)s - 1) i, size
            JOIN src ON true
            WHERE src.n = i %% size.total
            """,
            {"dep": SYNTHETIC, "communes": communes},
        )
        cursor.execute(
            """
            INSERT INTO cartography_coveragesnapshot (level, code, name, period, edition,
                source_file, ftth_ready, category, dwellings, businesses, epci_siren, zoning,
                operators, imported_at)
            SELECT s.level, n.code, n.name, s.period, s.edition, s.source_file, s.ftth_ready,
                   s.category, s.dwellings, s.businesses, '', s.zoning, s.operators, now()
            FROM cartography_commune n
            JOIN cartography_departement d ON d.id = n.departement_id AND d.code = %(dep)s
            JOIN LATERAL (
                SELECT c.code FROM cartography_commune c
                JOIN cartography_departement d28 ON d28.id = c.departement_id AND d28.code = '28'
                ORDER BY c.code OFFSET (substr(n.code, 3)::int - 1) %% 363 LIMIT 1) m ON true
            JOIN cartography_coveragesnapshot s ON s.level = 'commune' AND s.code = m.code
            """,
            {"dep": SYNTHETIC},
        )


def timed(function, runs: int, cpu: list | None = None) -> tuple[float, object]:
    """Median wall time of `runs` calls and the last result; the median CPU time of this
    process appended to `cpu` when given (what the machine's other load does not inflate)."""
    samples, cpu_samples, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        samples.append(time.perf_counter() - start)
        cpu_samples.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu.append(statistics.median(cpu_samples))
    return statistics.median(samples), result


def measure(code: str, runs: int) -> None:
    from django.db import connection

    from cartography.coverage import COMMUNE_FIGURES_SQL
    from cartography.reports import ReportScope, pdf_html, report_data, territory_svg, write_pdf
    from hub.pdf import render_pdf

    scope = ReportScope.from_parameters({"departement": code, "period": "T1 2018"})

    def raw_sql():
        with connection.cursor() as cursor:
            for period in ("2018-01-01", "2017-10-01"):
                cursor.execute(COMMUNE_FIGURES_SQL, {"period": period, "codes": scope.codes})
                cursor.fetchall()

    raw, _ = timed(raw_sql, runs)
    figures, data = timed(lambda: report_data(scope), runs)
    svg_time, svg = timed(lambda: territory_svg(data), runs)
    html_time, html = timed(lambda: pdf_html(data), runs)
    weasy, pdf = timed(lambda: render_pdf(html), runs)
    cpu = []
    total, _ = timed(lambda: write_pdf(data), runs, cpu)
    print(
        f"{scope.name} ({code}), {len(scope.codes)} communes, médiane de {runs} :\n"
        f"  SQL brut des chiffres (2 trimestres)  {raw * 1000:7.0f} ms\n"
        f"  chiffres du rapport (report_data)    {figures * 1000:7.0f} ms\n"
        f"  carte SVG (SQL + chemins)            {svg_time * 1000:7.0f} ms ({len(svg) // 1024} Ko)\n"
        f"  HTML du rapport                      {html_time * 1000:7.0f} ms\n"
        f"  WeasyPrint (mise en page, PDF/UA)    {weasy * 1000:7.0f} ms ({len(pdf) // 1024} Ko)\n"
        f"  PDF complet (write_pdf)              {total * 1000:7.0f} ms  (objectif ≤ 3 000 ms), "
        f"dont {cpu[0] * 1000:.0f} ms de CPU de ce processus"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=900)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from cartography.importers.coverage import load_demo_coverage
    from cartography.importers.territory import TerritorySources, import_territory

    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    synthetic_departement(args.communes)
    for code in ("28", SYNTHETIC):
        measure(code, args.runs)


if __name__ == "__main__":
    main()
