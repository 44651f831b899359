"""The benchmark's server side: manage.py, the databases, the cache, gunicorn as production
runs it, one GET as a browser behind the reverse proxy sends it, and the machine's details."""

import http.client
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

from bench.load import worker_memory

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8791
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def manage(*args, env):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_postgres(name):
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"{PG}/{name}"


def flush_cache():
    database = REDIS_URL.rstrip("/").rsplit("/", 1)[-1]
    subprocess.run(["redis-cli", "-n", database, "FLUSHDB"], check=False, capture_output=True)


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
        "REDIS_URL": REDIS_URL,
        # The benchmark is one client address making thousands of requests: the API's rate
        # limit would answer most of them 429, so it is lifted here.
        "API_REQUESTS_PER_MINUTE": "100000000",
    }


class Server:
    """gunicorn with config/gunicorn.conf.py (production's), on loopback; its log kept."""

    def __init__(self, env, workers):
        self.log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(Path(PYTHON).parent / "gunicorn"), "-c", "config/gunicorn.conf.py",
                 "--bind", f"{HOST}:{PORT}", "--workers", str(workers),
                 "--access-logfile", "/dev/null", "config.wsgi"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if fetch("/ping/")[0] == 200:
                    # Each worker up, before anything is measured.
                    while len(worker_memory(self.process.pid)) < workers:
                        time.sleep(0.2)
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def events(self):
        """Worker boots (past the first: restarts after max_requests) and worker timeouts."""
        text = self.log.read_text(errors="replace")
        return {"worker boots": text.count("Booting worker"), "timeouts": text.count("TIMEOUT")}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        events = self.events()
        self.log.unlink(missing_ok=True)
        return events


def fetch(path, cookie=""):
    """(status, body, the cookies it set) of one GET, as a browser behind the proxy sends it."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=120)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, body, {name: morsel.value for name, morsel in cookies.items()}
    finally:
        connection.close()


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
    redis = subprocess.run(["redis-cli", "INFO", "server"], capture_output=True, text=True).stdout
    redis_version = next(
        (line.split(":", 1)[1].strip() for line in redis.splitlines() if "redis_version" in line),
        "",
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
        "redis": redis_version,
    }
