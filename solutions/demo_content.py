"""Loading the demo content in solutions/demo/ (themes, networks, cities, case studies).

Idempotent: a row that already exists (matched by slug or natural key) is left as it is, so a
rerun neither duplicates anything nor undoes what someone changed while trying the site.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cities.models import City
from cities.services import import_geonames_cities
from networks.models import Membership, Network, NetworkStaff, StaffRole
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SourceLink,
    Status,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
    WorkflowEvent,
)

DEMO_DIR = Path(__file__).resolve().parent / "demo"
SOLUTION_FIELDS = [
    "title",
    "summary",
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "stage",
    "start_year",
    "end_year",
    "cost_usd",
    "funding",
    "contact_name",
    "contact_organisation",
    "contact_email",
    "status",
]
CURATOR = {"username": "curator", "password": "curate-the-exchange", "email": "curator@example.org"}
STAFF_PASSWORD = "submit-a-case-study"


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoSummary:
    created: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)

    def count(self, name, created):
        self.created[name] = self.created.get(name, 0) + int(created)


def read_toml(name):
    with open(DEMO_DIR / name, "rb") as f:
        return tomllib.load(f)


def read_solutions():
    rows = []
    for path in sorted(DEMO_DIR.glob("solutions-*.toml")):
        rows.extend(read_toml(path.name)["solution"])
    return rows


def load_cities():
    keys = read_toml("cities.toml")["cities"]
    import_geonames_cities(geonames_ids=keys.values(), min_population=0)
    by_id = City.objects.in_bulk(list(keys.values()), field_name="geonames_id")
    missing = sorted(key for key, geonames_id in keys.items() if geonames_id not in by_id)
    if missing:
        raise ValueError(f"Demo cities not in the GeoNames data: {', '.join(missing)}")
    return {key: by_id[geonames_id] for key, geonames_id in keys.items()}


def load_themes(summary):
    themes = {}
    for position, row in enumerate(read_toml("themes.toml")["theme"], start=1):
        theme, created = Theme.objects.get_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "description": row["description"], "position": position},
        )
        summary.count("themes", created)
        # Keywords came after the first demo themes: an existing theme without any gets them.
        if not theme.keywords and row.get("keywords"):
            theme.keywords = "\n".join(row["keywords"])
            theme.save(update_fields=["keywords"])
        themes[theme.slug] = theme
    return themes


def load_networks(cities, summary):
    networks = {}
    for row in read_toml("networks.toml")["network"]:
        defaults = {
            key: row[key]
            for key in [
                "name",
                "acronym",
                "founded_year",
                "run_by",
                "headquarters",
                "website",
                "tagline",
            ]
        }
        defaults["description"] = row["description"].strip()
        network, created = Network.objects.get_or_create(slug=row["slug"], defaults=defaults)
        summary.count("networks", created)
        networks[network.slug] = network
        for membership in row["memberships"]:
            _, created = Membership.objects.get_or_create(
                network=network,
                city=cities[membership["city"]],
                defaults={
                    "role": membership["role"],
                    "since_year": membership.get("since"),
                    "until_year": membership.get("until"),
                },
            )
            summary.count("memberships", created)
    return networks


def load_users(networks, summary):
    User = get_user_model()
    curator, created = User.objects.get_or_create(
        username=CURATOR["username"],
        defaults={"email": CURATOR["email"], "is_staff": True, "first_name": "Demo curator"},
    )
    if created:
        curator.set_password(CURATOR["password"])
        curator.save()
    curator.groups.add(Group.objects.get(name="Curators"))
    summary.count("users", created)
    summary.logins.append(DemoLogin(CURATOR["username"], CURATOR["password"], "curator (admin)"))

    staff_users = {}
    for slug, network in networks.items():
        user, created = User.objects.get_or_create(
            username=f"staff-{slug}",
            defaults={
                "email": f"staff-{slug}@example.org",
                "first_name": network.short_name,
                "last_name": "staff",
            },
        )
        if created:
            user.set_password(STAFF_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name="Network staff"))
        NetworkStaff.objects.get_or_create(
            user=user, network=network, defaults={"role": StaffRole.COORDINATOR}
        )
        summary.count("users", created)
        summary.logins.append(DemoLogin(user.username, STAFF_PASSWORD, f"staff of {network.name}"))
        staff_users[slug] = user
    return curator, staff_users


def _published_at(row):
    if "published" not in row:
        return None
    day = datetime.fromisoformat(row["published"])
    return day.replace(hour=9, tzinfo=UTC)


def _workflow_path(status):
    path = [Status.DRAFT]
    if status != Status.DRAFT:
        path.append(Status.IN_REVIEW)
    if status == Status.CHANGES_REQUESTED:
        path.append(Status.CHANGES_REQUESTED)
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        path.append(Status.PUBLISHED)
    if status == Status.ARCHIVED:
        path.append(Status.ARCHIVED)
    return path


def record_demo_history(solution, row, *, author, curator):
    """Workflow events that lead to the demo status, dated around its publication."""
    path = _workflow_path(solution.status)
    end = solution.published_at or datetime(2026, 10, 1, 9, tzinfo=UTC)
    for step, (from_status, to_status) in enumerate(zip(path, path[1:], strict=False)):
        by_author = to_status == Status.IN_REVIEW
        comment = ""
        if to_status in (Status.CHANGES_REQUESTED, Status.ARCHIVED):
            comment = row.get("review_comment", "")
        event = WorkflowEvent.objects.create(
            solution=solution,
            actor=author if by_author else curator,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )
        if to_status == Status.ARCHIVED:
            when = end + timedelta(days=120)
        else:
            when = end - timedelta(days=14 * (len(path) - 2 - step))
        WorkflowEvent.objects.filter(pk=event.pk).update(created_at=when)


def load_solution(row, *, cities, networks, themes, author, curator, summary):
    defaults = {name: row[name] for name in SOLUTION_FIELDS if name in row}
    for name in ["summary", "problem", "approach", "results", "lessons_learned", "funding"]:
        defaults[name] = defaults.get(name, "").strip()
    defaults.update(
        city=cities[row["city"]],
        network=networks[row["network"]],
        published_at=_published_at(row),
        author=author,
    )
    solution = Solution.objects.filter(slug=row["slug"]).first()
    summary.count("solutions", solution is None)
    if solution is not None:
        return solution
    solution = Solution(slug=row["slug"], **defaults)
    solution.full_clean()
    solution.save()
    solution.themes.set([themes[slug] for slug in row["themes"]])
    solution.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=row.get("sdgs", [])))
    solution.tags.set(row.get("tags", []))
    Partner.objects.bulk_create(
        Partner(solution=solution, name=p["name"], sector=p["sector"], role=p.get("role", ""))
        for p in row.get("partners", [])
    )
    SourceLink.objects.bulk_create(
        SourceLink(solution=solution, title=s["title"], url=s["url"])
        for s in row.get("sources", [])
    )
    for spec in row.get("indicators", []):
        indicator = Indicator.objects.create(
            solution=solution,
            **{
                key: spec.get(key)
                for key in [
                    "name",
                    "unit",
                    "direction",
                    "baseline_value",
                    "baseline_year",
                    "target_value",
                    "target_year",
                ]
            },
        )
        Measurement.objects.bulk_create(
            Measurement(indicator=indicator, year=year, value=value)
            for year, value in spec["measurements"]
        )
    record_demo_history(solution, row, author=author, curator=curator)
    return solution


def load_transfers(cities, networks, summary):
    solutions = Solution.objects.in_bulk(field_name="slug")
    for row in read_toml("transfers.toml")["transfer"]:
        _, created = Transfer.objects.get_or_create(
            solution=solutions[row["solution"]],
            adopting_city=cities[row["adopting"]],
            defaults={
                "origin_city": cities[row["origin"]],
                "network": networks.get(row.get("network")),
                "status": row["status"],
                "start_year": row.get("start_year"),
                "end_year": row.get("end_year"),
                "adaptations": row.get("adaptations", ""),
                "outcome": row.get("outcome", ""),
            },
        )
        summary.count("transfers", created)


@transaction.atomic
def load_demo_content(*, with_users=False):
    summary = DemoSummary()
    cities = load_cities()
    themes = load_themes(summary)
    networks = load_networks(cities, summary)
    curator, staff_users = load_users(networks, summary) if with_users else (None, {})
    for row in read_solutions():
        load_solution(
            row,
            cities=cities,
            networks=networks,
            themes=themes,
            author=staff_users.get(row["network"]),
            curator=curator,
            summary=summary,
        )
    load_transfers(cities, networks, summary)
    return summary
