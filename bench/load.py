"""The load: client processes that request one page over and over and time each request.

Each client is its own process (no shared interpreter lock between clients), with its own
connection. For the "first visitor after a publish" scenario a client publishes before each of
its requests, in-process: it sets Django up once with the server's environment, takes one
published solution and saves it inside transaction.atomic(), so the signals move the content
version (core/caching.py) and whatever runs on commit runs, and every cache keyed by the
content version is cold for the request that follows.

A run goes: every client warms up, says it is ready, all start together, and they stop
together once the plan is met (enough samples and enough time, or the time limit with the
minimum of samples).
"""

import http.client
import logging
import multiprocessing
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RETRIED = (http.client.HTTPException, ConnectionError, TimeoutError)


@dataclass(frozen=True)
class Plan:
    """When a run stops: at `target` samples once `min_seconds` have passed, or at
    `max_seconds` once it has `min_n`, and at twice `max_seconds` whatever it has (a page so
    slow cannot hold the whole run up). `warm_up` unmeasured requests per client first."""

    min_n: int
    target: int
    min_seconds: float
    max_seconds: float
    warm_up: int = 2

    def scaled(self, factor):
        return Plan(
            min_n=max(5, round(self.min_n * factor)),
            target=max(10, round(self.target * factor)),
            min_seconds=self.min_seconds * min(1.0, max(factor, 0.5)),
            max_seconds=max(1.0, self.max_seconds * factor),
            warm_up=self.warm_up,
        )


def request(connection, path, headers):
    """(status, body bytes, whether it set a cookie); one retry on a closed connection (a
    gunicorn worker restarting after max_requests closes it)."""
    for attempt in (1, 2):
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            return response.status, body, response.getheader("Set-Cookie") is not None
        except RETRIED:
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


class Publisher:
    """Publishes for real, in this process: one published solution saved in a transaction."""

    def __init__(self, env):
        os.environ.update(env)
        os.chdir(ROOT)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        logging.disable(logging.INFO)  # the tasks run on commit say so at INFO, per publish

    def __call__(self, pk):
        from django.db import transaction

        from solutions.models import Solution

        with transaction.atomic():
            Solution.objects.get(pk=pk).save()


def client_main(index, pipe, env, host, port, counter, stop):
    publisher = None
    while (task := pipe.recv()) is not None:
        try:
            if task["publish"] and publisher is None:
                publisher = Publisher(env)
            pipe.send(run_client(index, pipe, task, host, port, counter, stop, publisher))
        except Exception as error:  # noqa: BLE001 - reported to the parent, which decides
            stop.set()
            pipe.send({"error": f"{type(error).__name__}: {error}"})


def run_client(index, pipe, task, host, port, counter, stop, publisher):
    plan = Plan(**task["plan"])
    headers = {"Host": host, "X-Forwarded-Proto": "https"}
    if task["cookie"]:
        headers["Cookie"] = task["cookie"]
    publish_pk = task["publish"][index % len(task["publish"])] if task["publish"] else None
    connection = http.client.HTTPConnection(host, port, timeout=300)
    statuses, set_cookie = {}, False
    for _ in range(plan.warm_up):
        if publish_pk:
            publisher(publish_pk)
        status, _body, cookie = request(connection, task["path"], headers)
        statuses[status] = statuses.get(status, 0) + 1
        set_cookie |= cookie
    pipe.send("ready")
    start_at = pipe.recv()
    time.sleep(max(0.0, start_at - time.time()))
    samples, publishes, sizes = [], [], []
    while not stop.is_set():
        if publish_pk:
            started = time.perf_counter()
            publisher(publish_pk)
            publishes.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        status, body, cookie = request(connection, task["path"], headers)
        samples.append((time.perf_counter() - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        set_cookie |= cookie
        sizes.append(len(body))
        with counter.get_lock():
            counter.value += 1
            done = counter.value
        elapsed = time.time() - start_at
        if (
            (done >= plan.target and elapsed >= plan.min_seconds)
            or (elapsed >= plan.max_seconds and done >= plan.min_n)
            or elapsed >= 2 * plan.max_seconds
        ):
            stop.set()
    connection.close()
    return {
        "samples": samples,
        "publishes": publishes,
        "statuses": statuses,
        "set_cookie": set_cookie,
        "bytes": sorted(sizes)[len(sizes) // 2] if sizes else 0,
        "start": start_at,
        "end": time.time(),
    }


class Clients:
    """`count` client processes for one server (and its database, for publishing)."""

    def __init__(self, count, env, host, port):
        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("q", 0)
        self.stop = context.Event()
        self.pipes, self.processes = [], []
        for index in range(count):
            parent, child = context.Pipe()
            process = context.Process(
                target=client_main,
                args=(index, child, env, host, port, self.counter, self.stop),
                daemon=True,
            )
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def run(self, path, *, clients, plan, cookie="", publish=()):
        """Every client requests `path` until the plan is met: their raw results (summarize()
        them), or {"error": ...}."""
        with self.counter.get_lock():
            self.counter.value = 0
        self.stop.clear()
        pipes = self.pipes[:clients]
        task = {"path": path, "plan": asdict(plan), "cookie": cookie, "publish": list(publish)}
        for pipe in pipes:
            pipe.send(task)
        ready, errors = [], []
        for pipe in pipes:
            answer = pipe.recv()
            if answer == "ready":
                ready.append(pipe)
            else:
                errors.append(answer["error"])
        if errors:
            self.stop.set()  # those that are ready start and stop at once
        start_at = time.time() + 0.05
        for pipe in ready:
            pipe.send(start_at)
        results = [pipe.recv() for pipe in ready]
        errors += [result["error"] for result in results if "error" in result]
        if errors:
            return {"error": errors[0]}
        return {"clients": clients, "publishing": bool(publish), "results": results}

    def close(self):
        for pipe in self.pipes:
            try:
                pipe.send(None)
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()


def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarize(*runs):
    """One or more runs of the same page with the same clients, as one row of numbers."""
    if errors := [run["error"] for run in runs if "error" in run]:
        return {"error": errors[0]}
    results = [result for run in runs for result in run["results"]]
    samples = sorted(sample for result in results for sample in result["samples"])
    if not samples:
        return {"error": "no samples"}
    publishes = sorted(ms for result in results for ms in result["publishes"])
    statuses = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    wall = sum(
        max(result["end"] for result in run["results"]) - run["results"][0]["start"] for run in runs
    )
    clients = runs[0]["clients"]
    # Requests per second: over the wall time; with a publish before each request, over the
    # time the clients spent waiting for pages (the publishes are not requests).
    if runs[0]["publishing"]:
        rps = clients * len(samples) / (sum(samples) / 1000)
    else:
        rps = len(samples) / wall
    return {
        "n": len(samples),
        "p50": percentile(samples, 0.50),
        "p90": percentile(samples, 0.90),
        "p99": percentile(samples, 0.99),
        "max": samples[-1],
        "mean": sum(samples) / len(samples),
        "rps": rps,
        "seconds": wall,
        "statuses": statuses,
        "errors": sum(count for status, count in statuses.items() if status != "200"),
        "set_cookie": any(result["set_cookie"] for result in results),
        "bytes": max(result["bytes"] for result in results),
        "publish_p50": percentile(publishes, 0.5) if publishes else None,
    }


def download(host, port, path):
    """Stream a response to the end: time to the first byte and to the first data row, CSV
    rows (lines ending in CRLF, less the header), rows per second from the first row on."""
    connection = http.client.HTTPConnection(host, port, timeout=300)
    started = time.perf_counter()
    first_byte = first_row = None
    data, rows, error = b"", 0, None
    total_bytes = 0
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        if response.status != 200:
            return {"error": f"answered {response.status}"}
        while chunk := response.read1(65536):
            now = time.perf_counter()
            if first_byte is None:
                first_byte = now
            total_bytes += len(chunk)
            data = data[-1:] + chunk
            rows += data.count(b"\r\n")
            if first_row is None and rows >= 2:
                first_row = now
    except RETRIED as exception:
        error = f"cut off after {max(rows - 1, 0):,} rows: {type(exception).__name__}"
    finished = time.perf_counter()
    connection.close()
    rows = max(rows - 1, 0)
    streaming = finished - (first_row or finished)
    return {
        "rows": rows,
        "bytes": total_bytes,
        "first_byte_ms": ((first_byte or finished) - started) * 1000,
        "first_row_ms": ((first_row or finished) - started) * 1000,
        "seconds": finished - started,
        "rows_per_second": (rows - 1) / streaming if streaming > 0 and rows > 1 else None,
        "error": error,
    }


def worker_memory(master_pid):
    """{pid: {"rss": MiB, "hwm": MiB}} for each of the gunicorn master's workers."""
    memory = {}
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return memory
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        values = {}
        for line in status.splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key[2:].lower()] = int(rest.split()[0]) / 1024
        memory[int(pid)] = values
    return memory
