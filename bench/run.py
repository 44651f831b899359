"""The benchmark: build a PostgreSQL database with 100,000 solutions and the full city list,
serve it with gunicorn on loopback as production would, measure, and write docs/benchmarks.md.

    .venv/bin/python bench/run.py            # the full run (about 15 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # 1,000 and 5,000 solutions, for a quick look
    .venv/bin/python bench/report.py         # render docs/benchmarks.md again from the last run

Every number is also reported as a ratio to the floor: a bare Django view (/ping/) through
the same middleware and server, so the ratios carry over between machines.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8791
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SEARCH_TERMS = {
    "common": ["water", "housing", "city", "community", "budget", "transport"],
    "rare": ["zeppelin", "kiosks", "micro-grants", "repair"],
    "phrase": ['"rain gardens"', '"bus lanes"', '"waste picker cooperatives"'],
    "syntax": ["flood -insurance", "solar or compost", "water kiosks nairobi"],
    "no hit": ["qwxzv", "unobtainium"],
    "misspelt": ["resilence", "sanitaton"],
}
SAMPLE_SOLUTION = (
    "import json; from solutions.models import Solution; "
    "s = Solution.objects.published().select_related('city', 'network').order_by('pk').first(); "
    "print(json.dumps([s.slug, s.city.slug, s.network.slug]))"
)
REQUESTS_PER_PAGE = 60
WARM_UP = 5


def run(*args, env, quiet=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=quiet,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_postgres(name):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{PG}/{name}"


def environment(database_url, static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        # As production runs it: one cache shared by every worker.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    }


class Server:
    def __init__(self, env, workers):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "config/gunicorn.conf.py",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if get("/ping/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def get(path, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, PORT, timeout=60)
    connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    if own:
        connection.close()
    return response.status, connection


def latencies(path, count=REQUESTS_PER_PAGE):
    """One client, one request at a time: (first request ms, [ms of the next `count`])."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    started = time.perf_counter()
    status, _ = get(path, connection)
    first = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    for _ in range(WARM_UP):
        get(path, connection)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        get(path, connection)
        samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return first, samples


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def throughput(paths, concurrency, seconds=6):
    """Requests per second with `concurrency` clients cycling through `paths`."""
    done = [0] * concurrency
    stop = time.time() + seconds

    def client(index):
        connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
        n = index
        while time.time() < stop:
            get(paths[n % len(paths)], connection)
            done[index] += 1
            n += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.time() - started)


def measure(pages, count=REQUESTS_PER_PAGE):
    results = {}
    for name, path in pages.items():
        first, samples = latencies(path, count)
        results[name] = {
            "path": path,
            "first": first,
            "p50": statistics.median(samples),
            "p95": percentile(samples, 0.95),
        }
        print(
            f"  {name:<40} p50 {results[name]['p50']:7.1f} ms  p95 {results[name]['p95']:7.1f} ms"
        )
    return results


def search_path(term):
    return f"/solutions/?q={quote_plus(term)}"


def build(env, solutions, cities, seed=1):
    run("generate_synthetic", "--solutions", str(solutions), "--cities", str(cities),
        "--seed", str(seed), "--replace", env=env)  # fmt: skip
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run(["psql", env["DATABASE_URL"], "-q", "-c", "VACUUM ANALYZE"], check=True)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    postgres = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a quick look")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    options = parser.parse_args()
    sizes = [1_000, 5_000] if options.quick else [1_000, 10_000, 100_000]
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    report = {"machine": machine(), "sizes": {}, "started": datetime.now(UTC).isoformat()}

    database = fresh_postgres("exchange_bench")
    env = environment(database, static_root)
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=False, capture_output=True)
    print("Preparing PostgreSQL: migrate, the full city list, the demo networks and themes")
    run("migrate", "--noinput", env=env)
    run("collectstatic", "--noinput", env=env)
    run("import_cities", env=env)
    run("seed_demo", env=env)

    for size in sizes:
        print(f"{size:,} synthetic solutions")
        started = time.time()
        build(env, size, cities=min(20_000, max(500, size // 5)))
        built_in = time.time() - started
        server = Server(env, options.workers)
        try:
            solution = json.loads(run("shell", "-c", SAMPLE_SOLUTION, env=env).splitlines()[-1])
            pages = {"floor (bare view)": "/ping/"}
            largest = size == sizes[-1]
            if largest:
                pages |= {
                    "home": "/",
                    "solution page": f"/solutions/{solution[0]}/",
                    "city page": f"/cities/{solution[1]}/",
                    "network page": f"/networks/{solution[2]}/",
                }
            pages |= {
                "list, unfiltered": "/solutions/",
                "list, theme and region": "/solutions/?theme=water-and-sanitation&region=asia",
            }
            search_pages = {
                f"search ({kind}): {term}": search_path(term)
                for kind, terms in SEARCH_TERMS.items()
                for term in terms
            }
            results = measure(pages | search_pages)
            uncached = {}
            if largest:
                server.stop()
                print("  again, with whole-page caching off (counts and choices still cached)")
                server = Server(env | {"PAGE_CACHE_FOR_VISITORS": "false"}, options.workers)
                one_term_per_kind = {
                    f"search ({kind}): {terms[0]}": search_path(terms[0])
                    for kind, terms in SEARCH_TERMS.items()
                }
                uncached = measure(pages | one_term_per_kind, count=20)
            rps = {}
            if largest:
                for concurrency in (1, 4, 8):
                    list_pages = ["/solutions/", pages["list, theme and region"]]
                    rps[concurrency] = {
                        "floor": throughput(["/ping/"], concurrency),
                        "list": throughput(list_pages, concurrency),
                        "search": throughput(list(search_pages.values()), concurrency),
                    }
                    print(f"  {concurrency} clients: {rps[concurrency]}")
        finally:
            server.stop()
        report["sizes"][size] = {
            "results": results,
            "uncached": uncached,
            "rps": rps,
            "built_in": built_in,
        }

    print("SQLite: 10,000 solutions, search")
    sqlite_dir = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    sqlite_env = environment(f"sqlite:///{sqlite_dir / 'bench.sqlite3'}", static_root)
    run("migrate", "--noinput", env=sqlite_env)
    run("import_cities", "--min-population", "100000", env=sqlite_env)
    run("seed_demo", env=sqlite_env)
    build(sqlite_env, 10_000 if not options.quick else 2_000, cities=2_000)
    server = Server(sqlite_env, options.workers)
    try:
        terms = ["water", "flood -insurance", '"rain gardens"', "qwxzv"]
        report["sqlite"] = measure(
            {"floor (bare view)": "/ping/"}
            | {f"search: {term}": search_path(term) for term in terms}
        )
    finally:
        server.stop()
    shutil.rmtree(sqlite_dir, ignore_errors=True)
    shutil.rmtree(static_root, ignore_errors=True)

    Path(ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(report, indent=2))
    Path(options.output).write_text(render(report, sizes))
    print(f"Wrote {options.output}")


def render(report, sizes):
    from bench.report import render as render_report

    return render_report(report, sizes)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
