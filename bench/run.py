"""The benchmark: the user's path first. A PostgreSQL database with the full city list and
synthetic published solutions (1,000, 10,000 and 100,000), served by gunicorn on loopback with
the production settings, 2 workers and Redis as the shared cache, as production runs it; then
SQLite, the embedded default, with 10,000. It writes bench/results/latest.json (every number)
and docs/benchmarks.md (bench/report.py).

    .venv/bin/python bench/run.py              # the full run (about 25 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick      # 1,000 and 5,000 solutions, fewer requests
    .venv/bin/python bench/run.py --scale 2    # twice the samples and time per page
    .venv/bin/python bench/report.py           # docs/benchmarks.md again from the last run

The pages are in PAGES, SEARCH_TERMS and PLANNED_PAGES below (pages other issues add: skipped
with a note while they answer 404); how long each page's run lasts is in PLANS.

Three scenarios, in this order: a logged-in user (every request carries the session cookie of
a plain user, so no whole page is cached for it; the caches of counts keyed by the content
version are warm after the first request); the first visitor after a publish (before each
request the client publishes for real, in-process, so every cache keyed by the content version
is cold); and the page cache (an anonymous visitor, hits after the first request). Each with
4 concurrent clients and with one: p50, p99 and requests per second, and the ratios to the
floor, a bare Django view (/ping/) through the same middleware and server, measured in the
same scenario with the same clients, so that the ratios carry over between machines. SQLite:
the logged-in user and the page cache, 4 clients. Exports (CSV of one theme, and of
everything): time to the first row, rows per second, and the gunicorn workers' memory.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Clients, Plan, download, summarize, worker_memory  # noqa: E402
from bench.server import (  # noqa: E402
    HOST,
    PORT,
    REDIS_URL,
    Server,
    environment,
    fetch,
    flush_cache,
    fresh_postgres,
    machine,
    manage,
)

DATABASE = "exchange_bench"
RESULTS = ROOT / "bench" / "results" / "latest.json"
FLOOR = "floor (bare view)"

# Every page measured: name -> (kind, path). The kind picks the target (bench/report.py).
# {solution}, {city} and {network} are the sample solution's (bench/fixture.py).
PAGES = {
    FLOOR: ("floor", "/ping/"),
    "home": ("page", "/"),
    "solution page": ("page", "/solutions/{solution}/"),
    "city page": ("page", "/cities/{city}/"),
    "network page": ("page", "/networks/{network}/"),
    "theme page": ("page", "/themes/water-and-sanitation/"),
    "list, unfiltered": ("list", "/solutions/"),
    "list, theme and region": ("list", "/solutions/?theme=water-and-sanitation&region=asia"),
    "list, network and stage": ("list", "/solutions/?network={network}&stage=implemented"),
    "transfers": ("transfers", "/transfers/"),
    "transfers, across a national border": ("transfers", "/transfers/?crossing=national"),
}
# Search terms from common to rare, each a page of the list: /solutions/?q=...
SEARCH_TERMS = {
    "common": ["water", "housing", "community"],
    "multi-word": ["community housing", "water kiosks nairobi"],
    "phrase": ['"bus lanes"'],
    "rare": ["zeppelin", "kiosks"],
    "syntax": ["flood -insurance", "solar or compost"],
    "no hit": ["qwxzv"],
    "misspelt": ["sanitaton"],
}
# ---- Pages that other issues add -------------------------------------------------------
# Measured like the others once they answer; while a URL answers 404 it is skipped, and the
# report says so. Add each new page here with its kind (the target it is held to).
PLANNED_PAGES = {
    "cities index": ("page", "/cities/"),
    "map": ("page", "/map/"),
    "API: solutions": ("api", "/api/v1/solutions/"),
    "API: one solution": ("api", "/api/v1/solutions/{solution}/"),
}
# -----------------------------------------------------------------------------------------
EXPORTS = {
    "CSV, one theme": "/solutions/export.csv?theme={export_theme}",
    "CSV, unfiltered": "/solutions/export.csv",
    # The full form: every section and related row, read a chunk of case studies at a time.
    "full CSV, unfiltered": "/solutions/export.csv?form=full",
    "full JSON, one theme": "/solutions/export.json?form=full&theme={export_theme}",
}

LOGGED_IN = "logged in"
AFTER_PUBLISH = "first visitor after a publish"
PAGE_CACHE = "page cache"
# What is measured at the largest size, in the report's order: (scenario, clients) -> when a
# page's run stops (bench/load.py, Plan). Planned for about 25 minutes in all on 2 cores,
# with the pages as slow as they were when this was written; --scale multiplies every figure.
PLANS = {
    (LOGGED_IN, 4): Plan(min_n=100, target=200, min_seconds=1.5, max_seconds=8),
    (LOGGED_IN, 1): Plan(min_n=20, target=50, min_seconds=1.0, max_seconds=4),
    # A publish runs what a commit runs (the cache warming, with the immediate task backend):
    # about a second at 5,000 solutions, more at 100,000. These runs end on time, not count.
    (AFTER_PUBLISH, 4): Plan(min_n=12, target=40, min_seconds=1.0, max_seconds=5, warm_up=1),
    (AFTER_PUBLISH, 1): Plan(min_n=4, target=10, min_seconds=1.0, max_seconds=3, warm_up=1),
    (PAGE_CACHE, 4): Plan(min_n=100, target=300, min_seconds=1.5, max_seconds=6),
    (PAGE_CACHE, 1): Plan(min_n=30, target=100, min_seconds=1.0, max_seconds=3),
}
# The smaller sizes: the growth table's p50s.
GROWTH_PLANS = {(LOGGED_IN, 4): Plan(min_n=30, target=100, min_seconds=1.0, max_seconds=4)}
# SQLite, the embedded default: the logged-in user and the page cache.
SQLITE_PLANS = {
    (LOGGED_IN, 4): Plan(min_n=40, target=120, min_seconds=1.0, max_seconds=6),
    (PAGE_CACHE, 4): PLANS[PAGE_CACHE, 4],
}


def login_cookie(fixture):
    """The logged-in user's cookies: the session, and the CSRF cookie the site then sets (the
    logout button's form), sent back as a browser would."""
    status, body, cookies = fetch("/", fixture["session_cookie"])
    if status != 200 or b"Log out" not in body:
        raise SystemExit(f"The bench user's session is not logged in (home answered {status}).")
    return "; ".join([fixture["session_cookie"], *(f"{k}={v}" for k, v in cookies.items())])


def pages_for(fixture):
    """The pages to measure, their paths filled in; and the ones skipped, with why."""
    pages, skipped = {}, {}
    search = {
        f"search ({kind}): {term}": ("search", f"/solutions/?q={quote_plus(term)}")
        for kind, terms in SEARCH_TERMS.items()
        for term in terms
    }
    for name, (kind, path) in (PAGES | search | PLANNED_PAGES).items():
        path = path.format(**fixture)
        status = fetch(path)[0]
        if status == 200:
            pages[name] = {"kind": kind, "path": path}
        elif name in PLANNED_PAGES and status == 404:
            skipped[name] = f"{path} answers 404: not there yet"
        else:
            skipped[name] = f"{path} answered {status}"
            print(f"  !! {name}: {path} answered {status}; not measured")
    return pages, skipped


def measure(server, clients, pages, scenario, concurrency, plan, fixture, cookie):
    """Every page in one scenario with `concurrency` clients; the floor before and after. Each
    row counts the workers that gunicorn restarted (max_requests) during its run."""
    options = {
        "clients": concurrency,
        "plan": plan,
        "cookie": cookie if scenario == LOGGED_IN else "",
        "publish": fixture["publish"] if scenario == AFTER_PUBLISH else (),
    }
    print(f"  {scenario}, {concurrency} client{'s' if concurrency > 1 else ''}")

    def boots():
        return server.events()["worker boots"]

    def floor_run():
        """The floor is every ratio's denominator: measured again (up to twice) when gunicorn
        restarted a worker during it, and short, so that it rarely does."""
        short = replace(plan, min_seconds=min(plan.min_seconds, 0.75))
        for _attempt in range(3):
            started = boots()
            raw = clients.run(pages[FLOOR]["path"], **options | {"plan": short})
            if boots() == started:
                break
        return raw, boots() - started

    floor_before, before_restarts = floor_run()
    rows = {}
    for name, page in pages.items():
        if name == FLOOR:
            continue
        started = boots()
        rows[name] = page | summarize(clients.run(page["path"], **options))
        rows[name]["worker_restarts"] = boots() - started
        show(name, rows[name])
    floor_after, after_restarts = floor_run()
    floor = pages[FLOOR] | summarize(floor_before, floor_after)
    floor["worker_restarts"] = before_restarts + after_restarts
    show(FLOOR, floor)
    return {FLOOR: floor} | rows


def show(name, row):
    if "error" in row:
        print(f"    {name:<44} error: {row['error']}")
        return
    errors = f"  {row['errors']} not 200" if row["errors"] else ""
    restarts = f"  {row['worker_restarts']} worker restart(s)" if row["worker_restarts"] else ""
    print(
        f"    {name:<44} p50 {row['p50']:8.1f} ms  p99 {row['p99']:8.1f} ms  "
        f"{row['rps']:7.1f}/s  n={row['n']}{errors}{restarts}",
        flush=True,
    )


def measure_exports(env, workers, fixture):
    """Each export from a fresh server: time to the first byte and row, rows per second, and
    the workers' memory (resident before, peak after) read from /proc."""
    results = {}
    for name, path in EXPORTS.items():
        path = path.format(**fixture)
        server = Server(env, workers)
        try:
            # Warm both workers with an export of no rows (two at once, so both take one).
            warm = "/solutions/export.csv?q=qwxzv"
            threads = [threading.Thread(target=download, args=(HOST, PORT, warm)) for _ in "ab"]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            before = worker_memory(server.process.pid)
            result = download(HOST, PORT, path)
            after = worker_memory(server.process.pid)
        finally:
            events = server.stop()
        growth = [after[pid]["hwm"] - before[pid]["rss"] for pid in before if pid in after]
        result |= {
            "path": path,
            "memory_before_mib": max((m["rss"] for m in before.values()), default=None),
            "peak_mib": max((m["hwm"] for m in after.values()), default=None),
            "peak_growth_mib": max(growth, default=None),
            "workers_lost": len(set(before) - set(after)),
            "worker_timeouts": events["timeouts"],
        }
        results[name] = result
        rate = result["rows_per_second"]
        print(
            f"  {name:<22} {result['rows']:>8,} rows  first row {result['first_row_ms']:7.0f} ms"
            f"  {rate or 0:7.0f} rows/s  peak +{result['peak_growth_mib'] or 0:.1f} MiB"
            + (f"  {result['error']}" if result["error"] else ""),
            flush=True,
        )
    return results


def build(env, solutions, cities, seed=1):
    manage("generate_synthetic", "--solutions", str(solutions), "--cities", str(cities),
           "--seed", str(seed), "--replace", env=env)  # fmt: skip
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run(["psql", env["DATABASE_URL"], "-q", "-c", "VACUUM ANALYZE"], check=True)


def cities_for(size):
    """5,000 cities with solutions at 100,000 solutions, as the issue measured; fewer below."""
    return min(5_000, max(200, size // 20))


def measure_size(env, size, plans, options, fixture_out=None):
    """Build `size` solutions, serve them, and measure with `plans` ({(scenario, clients):
    Plan}); with the fixture's details in `fixture_out`."""
    print(f"{size:,} synthetic solutions", flush=True)
    started = time.time()
    build(env, size, cities_for(size))
    built_in = time.time() - started
    flush_cache()
    server = Server(env, options.workers)
    clients = Clients(4, env, HOST, PORT)
    try:
        output = manage("shell", "-c", "from bench.fixture import main; main()", env=env)
        fixture = json.loads(next(x for x in output.splitlines() if x.startswith('{"solution"')))
        cookie = login_cookie(fixture)
        pages, skipped = pages_for(fixture)
        results = {}
        for (scenario, concurrency), plan in plans.items():
            plan = plan.scaled(options.scale)
            rows = measure(server, clients, pages, scenario, concurrency, plan, fixture, cookie)
            results.setdefault(scenario, {})[str(concurrency)] = rows
    finally:
        clients.close()
        events = server.stop()
    if fixture_out is not None:
        fixture_out.update(fixture)
    measured_in = time.time() - started - built_in
    print(f"  built in {built_in:.0f} s, measured in {measured_in:.0f} s", flush=True)
    return {
        "solutions": fixture["published"],
        "cities": cities_for(size),
        "built_in": built_in,
        "measured_in": measured_in,
        "sample": {key: fixture[key] for key in ("solution", "city", "network")},
        "skipped": skipped,
        "server": events,
        "runs": results,
    }


def save(report, output):
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1))
    if output:
        from bench.report import render

        Path(output).write_text(render(report))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1,000 and 5,000; fewer requests")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every request count and time limit"
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    # Hidden, to try the full run's code on tiny sizes: --sizes 300,600 --sqlite-size 300
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--skip-sqlite", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sizes = [1_000, 5_000] if options.quick else [1_000, 10_000, 100_000]
    sqlite_size = 2_000 if options.quick else 10_000
    if options.quick:
        options.scale *= 0.25
    if options.sizes:
        sizes = sorted(int(size) for size in options.sizes.split(","))
    sqlite_size = options.sqlite_size or sqlite_size

    started = time.time()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    sqlite_dir = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    report = {
        "started": datetime.now(UTC).isoformat(),
        "machine": machine(),
        "load_average": {"start": os.getloadavg()},
        "options": {
            "quick": options.quick,
            "workers": options.workers,
            "scale": options.scale,
            "redis": REDIS_URL,
        },
        "plans": {
            f"{where}: {scenario}, {clients} clients": vars(plan.scaled(options.scale))
            for where, plans in (
                ("largest", PLANS),
                ("growth", GROWTH_PLANS),
                ("SQLite", SQLITE_PLANS),
            )
            for (scenario, clients), plan in plans.items()
        },
        "postgres": {"sizes": {}, "largest": str(sizes[-1])},
    }
    try:
        database = fresh_postgres(DATABASE)
        env = environment(database, static_root)
        flush_cache()
        print("PostgreSQL: migrate, the full city list, the demo networks and themes", flush=True)
        prepared = time.time()
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("import_cities", env=env)
        manage("seed_demo", env=env)
        report["postgres"]["prepared_in"] = time.time() - prepared
        for size in sizes:
            largest = size == sizes[-1]
            fixture = {}
            plans = PLANS if largest else GROWTH_PLANS
            report["postgres"]["sizes"][str(size)] = measure_size(
                env, size, plans, options, fixture
            )
            if largest:
                print("  exports", flush=True)
                report["exports"] = {
                    "solutions": fixture["published"],
                    "theme": fixture["export_theme"],
                    "theme_rows": fixture["export_theme_rows"],
                    "results": measure_exports(env, options.workers, fixture),
                }
            save(report, None)

        if not options.skip_sqlite:
            print(f"SQLite: {sqlite_size:,} solutions", flush=True)
            sqlite_env = environment(f"sqlite:///{sqlite_dir / 'bench.sqlite3'}", static_root)
            prepared = time.time()
            manage("migrate", "--noinput", env=sqlite_env)
            manage("import_cities", env=sqlite_env)
            manage("seed_demo", env=sqlite_env)
            prepared_in = time.time() - prepared
            report["sqlite"] = measure_size(sqlite_env, sqlite_size, SQLITE_PLANS, options)
            report["sqlite"]["prepared_in"] = prepared_in
    finally:
        shutil.rmtree(sqlite_dir, ignore_errors=True)
        shutil.rmtree(static_root, ignore_errors=True)
    report["finished"] = datetime.now(UTC).isoformat()
    report["seconds"] = time.time() - started
    report["load_average"]["end"] = os.getloadavg()
    save(report, options.output)
    print(f"Wrote {RESULTS.relative_to(ROOT)} and {options.output} in {report['seconds']:.0f} s")


if __name__ == "__main__":
    main()
