"""Where a page's time goes: total, SQL (each query timed), and the rest (Python, templates).

Run against a benchmark database (bench/run.py builds one, or any database with
generate_synthetic content), with the production settings and the whole-page cache off:

    DJANGO_SETTINGS_MODULE=config.settings.prod DATABASE_URL=... PAGE_CACHE_FOR_VISITORS=false \\
        .venv/bin/python bench/profile.py /solutions/ "/solutions/?q=water"
    ... bench/profile.py --cold --explain /solutions/   # cold caches; EXPLAIN the slowest

Each page is requested in-process through Django's test client (no server, no network), warm
(the second of two requests: the caches keyed by the content version are filled) or, with
--cold, right after the content version moves, as the first visitor after a publish meets it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class QueryTimer:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def profile(client, path, *, cold, repeat):
    from django.db import connection

    from core.caching import bump_content_version

    totals, sql_totals, timers = [], [], []
    client.get(path)
    for _ in range(repeat):
        if cold:
            bump_content_version()
        timer = QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = client.get(path)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
        totals.append((time.perf_counter() - started) * 1000)
        sql_totals.append(sum(ms for ms, _sql, _params in timer.queries))
        timers.append(timer)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    middle = sorted(range(repeat), key=lambda i: totals[i])[repeat // 2]
    return statistics.median(totals), statistics.median(sql_totals), timers[middle]


def explain(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--cold", action="store_true", help="move the content version first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", type=int, default=3, help="show the N slowest queries")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    parser.add_argument("--user", help="request as this user (logged in)")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST=os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")[0])
    if options.user:
        client.force_login(get_user_model().objects.get(username=options.user))
    for path in options.paths:
        total, sql, timer = profile(client, path, cold=options.cold, repeat=options.repeat)
        print(
            f"{path}\n  {total:7.1f} ms in all, {sql:6.1f} ms in {len(timer.queries)} queries, "
            f"{total - sql:6.1f} ms the rest"
        )
        slowest = sorted(timer.queries, key=lambda query: -query[0])[: options.queries]
        for ms, query, _params in slowest:
            print(f"    {ms:7.1f} ms  {query[:300]}")
        if options.explain and slowest and slowest[0][0] > 5:
            print(explain(slowest[0][1], slowest[0][2]))


if __name__ == "__main__":
    main()
