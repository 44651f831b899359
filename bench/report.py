"""docs/benchmarks.md from a benchmark run (bench/results/latest.json): the uncached path
first, then the page cache, growth, SQLite, exports, the targets, and bench/notes.md.

    .venv/bin/python bench/report.py     # render again, after editing bench/notes.md
"""

import argparse
import json
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "bench" / "notes.md"
RESULTS = ROOT / "bench" / "results" / "latest.json"
FLOOR = "floor (bare view)"
LOGGED_IN, AFTER_PUBLISH, PAGE_CACHE = "logged in", "first visitor after a publish", "page cache"

# Each kind of page at most this many times the floor, in requests per second (the floor's
# throughput / the page's, 4 clients) and in p50 (the page's / the floor's); both must hold.
TARGETS = {"page": 10, "list": 10, "search": 20, "transfers": 10, "api": 10}
KIND_NAMES = {
    "page": "home, solution, city, network and theme pages",
    "list": "the list, unfiltered and with two filters",
    "search": "search, every term",
    "transfers": "transfers, unfiltered and filtered",
    "api": "the API",
}
P99_OVER_P50 = 3
TERM_OVER_MEDIAN = 3
GROWTH = 2
SQLITE_FACTOR = 2
EXPORT_FIRST_ROW_MS = 1000
EXPORT_ROWS_PER_SECOND = 2000
# Constant memory: the unfiltered export's peak growth at most this many times the one theme's
# (a tenth of the rows), plus a few MiB of noise. Memory that grew with the rows would be 10x.
EXPORT_MEMORY_FACTOR, EXPORT_MEMORY_SLACK_MIB = 1.5, 8


RESTARTED = " ↻"
RESTART_NOTE = (
    f"{RESTARTED.strip()}: gunicorn restarted a worker during this page's run (`max_requests` in "
    "config/gunicorn.conf.py, as in production); its p99 includes the wait."
)


def label(name, row):
    return name + (RESTARTED if row.get("worker_restarts") else "")


def restart_note(*tables):
    restarted = any(row.get("worker_restarts") for rows in tables for row in rows.values())
    return ["", RESTART_NOTE] if restarted else []


def ratios(row, floor):
    """(floor rps / page rps, page p50 / floor p50)."""
    return floor["rps"] / row["rps"], row["p50"] / floor["p50"]


def measured(rows):
    return {name: row for name, row in rows.items() if "error" not in row and name != FLOOR}


def verdict(ok):
    return "met" if ok else "**missed**"


def number(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def uncached_table(rows, target_factor=1):
    floor = rows[FLOOR]
    lines = [
        "| page | p50 ms | p99 ms | p99 / p50 | req/s | floor req/s ÷ page's | p50 ÷ floor's "
        "| target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {label(FLOOR, floor)} | {floor['p50']:.1f} | {floor['p99']:.1f} | "
        f"{floor['p99'] / floor['p50']:.2f} | {floor['rps']:.0f} | 1 | 1 | | |",
    ]
    for name, row in rows.items():
        if name == FLOOR:
            continue
        if "error" in row:
            lines.append(f"| {name} | error: {row['error']} | | | | | | | |")
            continue
        by_rps, by_p50 = ratios(row, floor)
        target = TARGETS.get(row["kind"], 10) * target_factor
        spread = row["p99"] / row["p50"]
        spread_cell = f"{spread:.2f}" if spread <= P99_OVER_P50 else f"**{spread:.2f}**"
        errors = f" ({row['errors']} not 200)" if row["errors"] else ""
        lines.append(
            f"| {label(name, row)}{errors} | {row['p50']:.1f} | {row['p99']:.1f} | {spread_cell} | "
            f"{row['rps']:.1f} | {by_rps:.1f} | {by_p50:.1f} | {target}× | "
            f"{verdict(max(by_rps, by_p50) <= target)} |"
        )
    samples = sorted(row["n"] for row in rows.values() if "n" in row)
    if samples:
        lines += ["", f"Samples per page: {samples[0]:,} to {samples[-1]:,}."]
    return lines + restart_note(rows)


def pair_table(columns):
    """Several runs side by side: {title: rows}, p50, p99, req/s and the req/s ratio each."""
    titles = list(columns)
    first = columns[titles[0]]
    header = "| page | " + " | ".join(
        f"{title}: p50 ms | p99 ms | req/s | floor's ÷ page's" for title in titles
    )
    lines = [header + " |", "|---|" + "---:|" * (4 * len(titles))]
    for name in first:
        restarted = any(columns[title].get(name, {}).get("worker_restarts") for title in titles)
        cells = []
        for title in titles:
            row, floor = columns[title].get(name, {}), columns[title][FLOOR]
            if "p50" not in row:
                cells.append("– | – | – | –")
                continue
            by_rps = floor["rps"] / row["rps"]
            cells.append(f"{row['p50']:.1f} | {row['p99']:.1f} | {row['rps']:.1f} | {by_rps:.1f}")
        lines.append(f"| {name}{RESTARTED if restarted else ''} | " + " | ".join(cells) + " |")
    return lines + restart_note(*columns.values())


def run_rows(size_report, scenario, clients):
    return size_report.get("runs", {}).get(scenario, {}).get(str(clients))


def scenario_checks(rows):
    """{target name: (ok, detail)} for one scenario's rows (4 clients)."""
    floor, pages = rows[FLOOR], measured(rows)
    checks = {}
    for kind, limit in TARGETS.items():
        chosen = {name: row for name, row in pages.items() if row["kind"] == kind}
        if not chosen:
            continue
        worst = max(chosen, key=lambda name: max(ratios(chosen[name], floor)))
        value = max(ratios(chosen[worst], floor))
        checks[f"{KIND_NAMES[kind]}: at most {limit}× the floor"] = (
            value <= limit,
            f"worst {value:.1f}× ({worst})",
        )
    searches = {name: row for name, row in pages.items() if row["kind"] == "search"}
    if searches:
        median = statistics.median(row["p50"] for row in searches.values())
        slowest = max(searches, key=lambda name: searches[name]["p50"])
        value = searches[slowest]["p50"] / median
        checks[f"no search term's p50 above {TERM_OVER_MEDIAN}× the median term's"] = (
            value <= TERM_OVER_MEDIAN,
            f"worst {value:.1f}× ({slowest})",
        )
    if pages:
        worst = max(pages, key=lambda name: pages[name]["p99"] / pages[name]["p50"])
        value = pages[worst]["p99"] / pages[worst]["p50"]
        checks[f"every page's p99 at most {P99_OVER_P50}× its p50"] = (
            value <= P99_OVER_P50,
            f"worst {value:.2f}× ({worst})",
        )
    failed = [name for name, row in rows.items() if "error" in row]
    if failed:
        checks["every page answered"] = (False, ", ".join(failed))
    return checks


def growth_table(sizes, postgres):
    """p50 at each size (logged in, 4 clients), its growth from the smallest to the largest,
    and that growth over the floor's (what is left once the machine's drift is taken out)."""
    lines = []
    rows = [run_rows(postgres["sizes"][size], LOGGED_IN, 4) or {} for size in sizes]
    if not rows[-1] or len(sizes) < 2 or "p50" not in rows[0].get(FLOOR, {}):
        return lines, None
    floor_growth = rows[-1][FLOOR]["p50"] / rows[0][FLOOR]["p50"]
    header = "| page | " + " | ".join(f"{int(size):,}" for size in sizes)
    lines += [
        header + " | growth | growth ÷ floor's |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    worst = None
    for name in rows[-1]:
        values = [by_size.get(name, {}) for by_size in rows]
        if any("p50" not in value for value in values):
            continue
        growth = values[-1]["p50"] / values[0]["p50"]
        if name != FLOOR and (worst is None or growth > worst[1]):
            worst = (name, growth, growth / floor_growth)
        cells = " | ".join(f"{value['p50']:.1f}" for value in values)
        lines.append(f"| {name} | {cells} | {growth:.2f}× | {growth / floor_growth:.2f}× |")
    return lines, worst


def exports_section(exports):
    lines = [
        f"{exports['solutions']:,} solutions; one theme is `{exports['theme']}` "
        f"({exports['theme_rows']:,} published solutions). Each export from freshly started "
        "workers, warmed with an export of no rows; memory is the workers' resident size before "
        "and their peak (VmHWM) after, from /proc.",
        "",
        "| export | rows | first byte ms | first row ms | total s | rows/s | worker MiB before "
        "| peak MiB | peak growth MiB | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, result in exports["results"].items():
        if "rows" not in result:
            lines.append(f"| {name} | {result.get('error')} | | | | | | | | |")
            continue
        note = result["error"] or ""
        if result.get("worker_timeouts"):
            note += f" {result['worker_timeouts']} worker timeout(s) in gunicorn's log"
        lines.append(
            f"| {name} | {result['rows']:,} | {result['first_byte_ms']:.0f} | "
            f"{result['first_row_ms']:.0f} | {result['seconds']:.1f} | "
            f"{number(result['rows_per_second'], 0)} | {number(result['memory_before_mib'])} | "
            f"{number(result['peak_mib'])} | {number(result['peak_growth_mib'])} | {note.strip()} |"
        )
    return lines


def export_checks(exports):
    results = exports["results"]
    theme = results.get("CSV, one theme", {})
    everything = results.get("CSV, unfiltered", {})
    checks = {}
    if "rows" in theme:
        checks[
            f"an export of a theme ({theme['rows']:,} rows) starts within "
            f"{EXPORT_FIRST_ROW_MS / 1000:g} s (first row)"
        ] = (
            theme["first_row_ms"] <= EXPORT_FIRST_ROW_MS and not theme["error"],
            f"{theme['first_row_ms']:.0f} ms",
        )
    rates = {
        name: result["rows_per_second"] for name, result in results.items() if "rows" in result
    }
    if rates:
        slowest = min(rates, key=lambda name: rates[name] or 0)
        cut = [name for name, result in results.items() if result.get("error")]
        checks[f"exports stream at least {EXPORT_ROWS_PER_SECOND:,} rows a second, to the end"] = (
            (rates[slowest] or 0) >= EXPORT_ROWS_PER_SECOND and not cut,
            f"slowest {number(rates[slowest], 0)} rows/s ({slowest})"
            + (f"; cut off: {', '.join(cut)}" if cut else ""),
        )
    if theme.get("peak_growth_mib") is not None and everything.get("peak_growth_mib") is not None:
        allowed = theme["peak_growth_mib"] * EXPORT_MEMORY_FACTOR + EXPORT_MEMORY_SLACK_MIB
        checks["in constant memory (unfiltered export's peak growth ≈ one theme's)"] = (
            everything["peak_growth_mib"] <= allowed,
            f"+{everything['peak_growth_mib']:.1f} MiB for {everything['rows']:,} rows, "
            f"+{theme['peak_growth_mib']:.1f} MiB for {theme['rows']:,}",
        )
    return checks


def render(report):
    postgres = report["postgres"]
    sizes = sorted(postgres["sizes"], key=int)
    largest = postgres["sizes"][sizes[-1]]
    size = f"{int(sizes[-1]):,}"
    minutes = report.get("seconds", 0) / 60
    lines = [
        "# Benchmarks",
        "",
        "Made by `bench/run.py` (see the README). PostgreSQL with the full GeoNames city list and "
        f"{' / '.join(f'{int(s):,}' for s in sizes)} synthetic published solutions (plus "
        f"{largest['solutions'] - int(sizes[-1]):,} from the demo content; "
        f"{largest['cities']:,} cities with solutions at {size}), served by gunicorn on "
        "loopback with the production "
        f"settings and {report['options']['workers']} workers, Redis as the shared cache; each "
        "client is its own process on the same machine, sending one request at a time. The "
        "uncached path comes first: **logged in** (every request carries a plain user's session "
        "cookie, so no whole page is cached; counts cached by content version are warm after the "
        "first request) and **first visitor after a publish** (before each request the client "
        "saves a published solution in a transaction, in-process, so every cache keyed by the "
        "content version is cold and whatever runs on commit runs, in the client's process on "
        "the same cores; requests per second there count only the time spent waiting for "
        "pages). Then the **page cache**: an anonymous visitor, hits after the first request. "
        "Each page runs with 4 concurrent clients and with one until it has enough samples "
        "(a run stops at its target count once a minimum time has passed, or at a time limit "
        "once it has its minimum count; the plans are in `bench/results/latest.json`). Ratios "
        "are to the floor, a bare Django view (`/ping/`) through the same middleware and server, "
        "measured in the same scenario with the same clients (before and after the pages): "
        "the floor's requests per second ÷ the page's, and the page's p50 ÷ the floor's; a "
        "target is met when both are within it.",
        "",
        f"Run {report['started'][:16].replace('T', ' ')} UTC, {minutes:.0f} minutes"
        + (" (`--quick`)" if report["options"].get("quick") else "")
        + "; load average "
        + " → ".join(f"{values[0]:.2f}" for values in report.get("load_average", {}).values())
        + " (start → end).",
        "",
        "Time: "
        + "; ".join(
            f"{int(key):,} solutions built in {value['built_in']:.0f} s and measured in "
            f"{value['measured_in']:.0f} s"
            for key, value in sorted(postgres["sizes"].items(), key=lambda item: int(item[0]))
        )
        + (
            f"; SQLite built in {report['sqlite']['built_in']:.0f} s and measured in "
            f"{report['sqlite']['measured_in']:.0f} s."
            if "sqlite" in report
            else "."
        ),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in report["machine"].items()],
    ]
    skipped = largest.get("skipped", {})
    if skipped:
        lines += ["", "Not measured: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()) + "."]
    server = largest.get("server", {})
    if server:
        lines += [
            "",
            f"gunicorn at {size}: {server.get('worker boots', 0)} worker boots "
            f"({report['options']['workers']} at the start, the rest restarts after "
            f"`max_requests`), {server.get('timeouts', 0)} worker timeouts.",
        ]

    sections = [
        (LOGGED_IN, 4, f"The uncached path: logged in, 4 clients ({size} solutions)"),
        (AFTER_PUBLISH, 4, f"First visitor after a publish, 4 clients ({size} solutions)"),
    ]
    for scenario, clients, title in sections:
        rows = run_rows(largest, scenario, clients)
        if rows:
            lines += ["", f"## {title}", "", *uncached_table(rows)]
            publish = [r["publish_p50"] for r in rows.values() if r.get("publish_p50")]
            if publish:
                lines += [f"A publish itself took {statistics.median(publish):.0f} ms (median)."]

    one = {
        f"{scenario}": rows
        for scenario in (LOGGED_IN, AFTER_PUBLISH)
        if (rows := run_rows(largest, scenario, 1))
    }
    if one:
        lines += ["", f"## One client ({size} solutions)", "", *pair_table(one)]

    cached = {
        f"{clients} client{'s' if clients > 1 else ''}": rows
        for clients in (4, 1)
        if (rows := run_rows(largest, PAGE_CACHE, clients))
    }
    if cached:
        lines += [
            "",
            f"## The page cache: anonymous visitors, hits ({size} solutions)",
            "",
            *pair_table(cached),
        ]
        uncacheable = [
            name for rows in cached.values() for name, row in rows.items() if row.get("set_cookie")
        ]
        if uncacheable:
            lines += [
                "",
                "These set a cookie for an anonymous visitor, so they are never cached: "
                + ", ".join(sorted(set(uncacheable)))
                + ".",
            ]

    growth_lines, worst_growth = growth_table(sizes, postgres)
    if growth_lines:
        lines += [
            "",
            "## Growth with the number of solutions",
            "",
            "p50 in ms, logged in, 4 clients.",
            "",
            *growth_lines,
        ]

    sqlite = report.get("sqlite")
    sqlite_rows = run_rows(sqlite, LOGGED_IN, 4) if sqlite else None
    if sqlite:
        lines += ["", f"## SQLite, {sqlite['solutions']:,} solutions", ""]
        if sqlite_rows:
            lines += [
                f"Logged in, 4 clients; targets are the PostgreSQL ones × {SQLITE_FACTOR}.",
                "",
                *uncached_table(sqlite_rows, SQLITE_FACTOR),
            ]
        others = {
            title: rows
            for title, scenario, clients in (
                ("logged in, 1 client", LOGGED_IN, 1),
                ("page cache, 4 clients", PAGE_CACHE, 4),
            )
            if (rows := run_rows(sqlite, scenario, clients))
        }
        if others:
            lines += ["", *pair_table(others)]

    exports = report.get("exports")
    if exports:
        lines += ["", "## Exports", "", *exports_section(exports)]

    lines += [
        "",
        "## Targets",
        "",
        f"At {size} solutions, 4 clients. The worst page is named.",
        "",
        f"| target | {LOGGED_IN} | {AFTER_PUBLISH} | {PAGE_CACHE} |",
        "|---|---|---|---|",
    ]
    per_scenario = {
        scenario: scenario_checks(rows) if (rows := run_rows(largest, scenario, 4)) else {}
        for scenario in (LOGGED_IN, AFTER_PUBLISH, PAGE_CACHE)
    }
    names = list(dict.fromkeys(name for checks in per_scenario.values() for name in checks))
    for name in names:
        cells = []
        for checks in per_scenario.values():
            ok, detail = checks.get(name, (None, ""))
            cells.append("–" if ok is None else f"{verdict(ok)}: {detail}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    single = {}
    if exports:
        single |= export_checks(exports)
    if sqlite_rows:
        floor = sqlite_rows[FLOOR]
        pages = measured(sqlite_rows)
        if pages:
            share = {
                name: max(ratios(row, floor)) / (TARGETS.get(row["kind"], 10) * SQLITE_FACTOR)
                for name, row in pages.items()
            }
            worst = max(share, key=share.get)
            single[
                f"SQLite ({sqlite['solutions']:,} solutions, logged in): every page within "
                f"{SQLITE_FACTOR}× its target"
            ] = (
                share[worst] <= 1,
                f"worst {max(ratios(pages[worst], floor)):.1f}× against "
                f"{TARGETS.get(pages[worst]['kind'], 10) * SQLITE_FACTOR}× ({worst})",
            )
    if worst_growth:
        single[
            f"from {int(sizes[0]):,} to {int(sizes[-1]):,} solutions no page's p50 grows more "
            f"than {GROWTH}×"
        ] = (
            worst_growth[1] <= GROWTH,
            f"worst {worst_growth[1]:.2f}× ({worst_growth[0]}; {worst_growth[2]:.2f}× over the "
            "floor's growth)",
        )
    if single:
        lines += ["", "| target | result |", "|---|---|"]
        lines += [f"| {name} | {verdict(ok)}: {detail} |" for name, (ok, detail) in single.items()]

    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    options = parser.parse_args()
    report = json.loads(Path(options.results).read_text())
    Path(options.output).write_text(render(report))
    print(f"Wrote {options.output}")


if __name__ == "__main__":
    main()
