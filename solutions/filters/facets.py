"""Facet counts in one pass: the total and the count of each value of several facets.

A list page shows, beside each option, how many solutions it would find under the other
filters. Every facet that has no value chosen shares one set of matches (the list itself),
so the matches are found once, as a common table expression, and each facet is a GROUP BY
over them: one query and one scan where a query per facet would repeat the search (at
100,000 solutions a common search word costs a full scan each time).
"""

import sqlite3
from dataclasses import dataclass, field

from django.db import connection

from cities.models import City, SizeClass
from networks.models import Network
from solutions.models import Solution, Theme

# The matches' columns that the facets group by.
COLUMNS = ["pk", "stage", "network_id", "city_id"]


def _facet_sql():
    themes = Solution.themes.through._meta.db_table
    return {
        "stage": "SELECT 'stage', m.stage, COUNT(*) FROM m GROUP BY m.stage",
        "network": (
            f"SELECT 'network', n.slug, COUNT(*) FROM m "
            f"JOIN {Network._meta.db_table} n ON n.id = m.network_id GROUP BY n.slug"
        ),
        "region": (
            f"SELECT 'region', c.region, COUNT(*) FROM m "
            f"JOIN {City._meta.db_table} c ON c.id = m.city_id GROUP BY c.region"
        ),
        "subregion": (
            f"SELECT 'subregion', c.subregion, COUNT(*) FROM m "
            f"JOIN {City._meta.db_table} c ON c.id = m.city_id GROUP BY c.subregion"
        ),
        "theme": (
            f"SELECT 'theme', t.slug, COUNT(*) FROM m "
            f"JOIN {themes} st ON st.solution_id = m.id "
            f"JOIN {Theme._meta.db_table} t ON t.id = st.theme_id GROUP BY t.slug"
        ),
        "size": (
            f"SELECT 'size', {_size_class_sql('c.population')}, COUNT(*) FROM m "
            f"JOIN {City._meta.db_table} c ON c.id = m.city_id GROUP BY 2"
        ),
        "total": "SELECT 'total', '', COUNT(*) FROM m",
    }


def _size_class_sql(population):
    """SizeClass as SQL: the class whose population range holds `population` (NULL: none).
    Built from SizeClass.bounds, integers of our own, so nothing outside reaches the SQL."""
    whens = []
    for size_class in SizeClass:
        low, high = SizeClass.bounds(size_class)
        below = f" AND {population} < {int(high)}" if high is not None else ""
        whens.append(f"WHEN {population} >= {int(low)}{below} THEN '{size_class.value}'")
    return "CASE " + " ".join(whens) + " END"


FACETS = ("theme", "region", "subregion", "network", "stage", "size")


@dataclass
class FacetCounts:
    """The count of each value, per facet, and the number of matches (when asked for)."""

    counts: dict = field(default_factory=dict)
    total: int | None = None
    # True when the total and counts are estimates (a broad search), rounded to show it.
    approximate: bool = False

    def scaled(self, total):
        """These counts, of a sample of the matches, scaled up to `total` matches."""
        scale = total / max(self.total or 0, 1)
        counts = {
            name: {value: rounded(count * scale) for value, count in values.items()}
            for name, values in self.counts.items()
        }
        return FacetCounts(counts, rounded(total), approximate=True)


def rounded(number):
    """An estimate to two significant figures (12,345 -> 12,000), as it is precise."""
    number = round(number)
    if number < 100:
        return number
    digits = len(str(number)) - 2
    return round(number, -digits)


def _materialized():
    # PostgreSQL materialises a CTE read more than once by itself; SQLite needs asking (3.35+).
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        return "MATERIALIZED "
    return ""


def count_facets(queryset, facets, *, total=False):
    """For each of `facets` (of FACETS), {value: count} over the solutions of `queryset`."""
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise ValueError(f"Unknown facets: {sorted(unknown)}")
    result = FacetCounts(counts={name: {} for name in facets})
    parts = list(facets) + (["total"] if total else [])
    if not parts:
        return result
    sql, params = queryset.order_by().values(*COLUMNS).query.sql_with_params()
    statements = _facet_sql()
    query = f"WITH m (id, stage, network_id, city_id) AS {_materialized()}({sql}) " + (
        " UNION ALL ".join(statements[name] for name in parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for facet, value, count in cursor.fetchall():
            if facet == "total":
                result.total = count
            else:
                result.counts[facet][value] = count
    if total and result.total is None:
        result.total = 0
    return result
