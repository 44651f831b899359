"""docs/benchmarks.md from a benchmark run: the numbers, the targets, and whether each is met."""

import statistics
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"


def ratio(value, floor):
    return value / floor if floor else float("nan")


def verdict(ok):
    return "met" if ok else "**missed**"


def render(report, sizes):
    largest = report["sizes"][sizes[-1]]["results"]
    floor = largest["floor (bare view)"]["p50"]
    searches = {k: v for k, v in largest.items() if k.startswith("search")}
    lists = {k: v for k, v in largest.items() if k.startswith("list")}
    median_term = statistics.median(v["p50"] for v in searches.values())
    slowest_term = max(searches.items(), key=lambda item: item[1]["p50"])
    lines = [
        "# Benchmarks",
        "",
        "Made by `bench/run.py` (see the README): a PostgreSQL database with the full GeoNames",
        "city list and synthetic published solutions, served by gunicorn on loopback with the",
        "production settings, measured by one client sending one request at a time "
        f"({60} requests per page after 5 warm-up requests; the very first, cold request is "
        "shown too). Ratios are to the floor: a bare Django view through the same middleware.",
        "",
        f"Run {report['started'][:16].replace('T', ' ')} UTC.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in report["machine"].items()]
    lines += ["", f"## At {sizes[-1]:,} solutions (PostgreSQL)", ""]
    lines += [
        "| page | p50 ms | p95 ms | p50 / floor | p95 / p50 | first (cold) ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in largest.items():
        lines.append(
            f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {ratio(row['p50'], floor):.1f} "
            f"| {row['p95'] / row['p50']:.2f} | {row['first']:.0f} |"
        )
    uncached = report["sizes"][sizes[-1]].get("uncached", {})
    if uncached:
        uncached_floor = uncached["floor (bare view)"]["p50"]
        lines += [
            "",
            "### The same pages with whole-page caching off",
            "",
            "What a visitor with a session, or the first visitor after a change, waits for: the",
            "pages are rendered every time (counts, choices and figures are still cached).",
            "",
            "| page | p50 ms | p95 ms | p50 / floor |",
            "|---|---:|---:|---:|",
        ]
        for name, row in uncached.items():
            lines.append(
                f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | "
                f"{ratio(row['p50'], uncached_floor):.1f} |"
            )
    rps = report["sizes"][sizes[-1]].get("rps", {})
    if rps:
        lines += ["", "### Requests per second", "", "| clients | floor | list | search |"]
        lines += ["|---:|---:|---:|---:|"]
        for concurrency, row in rps.items():
            lines.append(
                f"| {concurrency} | {row['floor']:.0f} | {row['list']:.0f} | {row['search']:.0f} |"
            )
    lines += ["", "## Growth with the number of solutions (p50 ms)", ""]
    header = "| page | " + " | ".join(f"{size:,}" for size in sizes) + " | growth |"
    lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
    growth = {}
    for name in [*lists, *searches]:
        values = [report["sizes"][size]["results"][name]["p50"] for size in sizes]
        growth[name] = values[-1] / values[0]
        cells = " | ".join(f"{value:.1f}" for value in values)
        lines.append(f"| {name} | {cells} | {growth[name]:.2f}× |")
    sqlite = report.get("sqlite", {})
    if sqlite:
        sqlite_floor = sqlite["floor (bare view)"]["p50"]
        lines += ["", "## SQLite, 10,000 solutions", "", "| page | p50 ms | p95 ms | p95 / floor |"]
        lines += ["|---|---:|---:|---:|"]
        for name, row in sqlite.items():
            lines.append(
                f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | "
                f"{ratio(row['p95'], sqlite_floor):.1f} |"
            )
    solution_page = largest.get("solution page")
    checks = [
        (
            "list and search p50 at most 10 × the floor",
            max(ratio(v["p50"], floor) for v in {**lists, **searches}.values()) <= 10,
            f"worst {max(ratio(v['p50'], floor) for v in {**lists, **searches}.values()):.1f} ×",
        ),
        (
            "solution page p50 at most 6 × the floor",
            solution_page is not None and ratio(solution_page["p50"], floor) <= 6,
            f"{ratio(solution_page['p50'], floor):.1f} ×" if solution_page else "not measured",
        ),
        (
            "every page's p95 at most 3 × its own p50",
            all(v["p95"] <= 3 * v["p50"] for v in largest.values()),
            f"worst {max(v['p95'] / v['p50'] for v in largest.values()):.2f} ×",
        ),
        (
            "no search term slower than 10 × the median term",
            slowest_term[1]["p50"] <= 10 * median_term,
            f"slowest {slowest_term[0]}: {slowest_term[1]['p50'] / median_term:.1f} × the median",
        ),
        (
            f"list and search p50 grow less than 2 × from {sizes[0]:,} to {sizes[-1]:,}",
            max(growth.values()) < 2,
            f"worst {max(growth.values()):.2f} ×",
        ),
    ]
    if sqlite:
        worst = max(
            ratio(v["p95"], sqlite_floor) for k, v in sqlite.items() if k.startswith("search")
        )
        checks.append(
            ("SQLite search p95 under 25 × the floor", worst < 25, f"worst {worst:.1f} ×")
        )
    lines += ["", "## Targets", "", "| target | result | measured |", "|---|---|---|"]
    lines += [f"| {name} | {verdict(ok)} | {detail} |" for name, ok, detail in checks]
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    return "\n".join(lines) + "\n"


def main():
    """Render docs/benchmarks.md again from bench/results/latest.json (after editing notes.md)."""
    import json

    root = Path(__file__).resolve().parent.parent
    report = json.loads((root / "bench" / "results" / "latest.json").read_text())
    sizes = sorted(int(size) for size in report["sizes"])
    report["sizes"] = {int(size): value for size, value in report["sizes"].items()}
    (root / "docs" / "benchmarks.md").write_text(render(report, sizes))
    print("Wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
