"""A deterministic body of synthetic published solutions, for benchmarks only.

Everything comes from one random.Random(seed), and rows are inserted in bulk, so the same
seed gives the same solutions and 100,000 of them take a few minutes.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from cities.models import City
from core.caching import bump_content_version
from networks.models import Network
from solutions.models import (
    Indicator,
    Measurement,
    Solution,
    Stage,
    Status,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
    TransferStatus,
)
from solutions.models.years import YEAR_MAX
from solutions.search import refresh_vocabulary

SLUG_PREFIX = "synthetic-"
BATCH = 2_000

ADJECTIVES = (
    "community-led neighbourhood citywide low-cost participatory green shared digital "
    "cooperative municipal inclusive resilient open circular local affordable mobile "
    "decentralised rapid women-led youth-run data-driven"
).split()
NOUNS = (
    "water kiosks, flood parks, bus lanes, waste picker cooperatives, land trusts, "
    "street markets, rain gardens, housing savings groups, tree planting, bike lanes, "
    "school streets, solar rooftops, composting hubs, repair cafes, micro-grants, "
    "participatory budgets, open data portals, cash transfers, heat shelters, "
    "food banks, tenant unions, clinic networks, sanitation blocks, drainage upgrades"
).split(", ")
PURPOSES = (
    "for informal settlements, for small businesses, against displacement, for safer "
    "crossings, for cleaner air, for newcomers, for older residents, after the floods, "
    "for market traders, for renters, for school children, for street vendors"
).split(", ")
WORDS = (
    "city council residents neighbourhood programme budget pilot households survey "
    "partners funding staff contract district water energy housing transport waste "
    "community training data map permit tariff market street park school clinic "
    "women youth volunteers loans savings cooperative utility drainage flood heat "
    "emissions tenants landlords vendors workers migrants schedule agreement review "
    "outcome target baseline indicator monitoring evaluation procurement maintenance "
    "scaled replicated adapted measured reduced increased improved delayed stalled"
).split()
TAG_STEMS = (
    "water housing transit cycling walking waste recycling compost solar heat flood "
    "drainage budget data jobs training markets vendors migrants youth women health "
    "schools parks trees air noise safety tenure savings loans procurement"
).split()


@dataclass
class SyntheticSummary:
    solutions: int = 0
    transfers: int = 0
    indicators: int = 0


def _sentence(rng, low, high):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng, sentences_low, sentences_high):
    count = rng.randint(sentences_low, sentences_high)
    sentences = [_sentence(rng, 6, 18) for _ in range(count)]
    middle = max(1, count // 2)
    return " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])


def _tags(rng, pool):
    return rng.sample(pool, rng.randint(1, 4))


def delete_synthetic():
    with transaction.atomic():
        return Solution.objects.filter(slug__startswith=SLUG_PREFIX).delete()[0]


def generate(*, solutions, cities, seed, progress=None):
    """Create `solutions` published solutions spread over `cities` cities, deterministically."""
    rng = random.Random(seed)
    city_ids = list(City.objects.order_by("geonames_id", "pk").values_list("pk", flat=True))
    if not city_ids:
        raise ValueError("There are no cities: run import_cities first.")
    city_ids = sorted(rng.sample(city_ids, min(cities, len(city_ids))))
    network_ids = list(Network.objects.order_by("pk").values_list("pk", flat=True))
    theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    if not network_ids or not theme_ids:
        raise ValueError("There are no networks or themes: run seed_demo first.")
    sdg_ids = list(SustainableDevelopmentGoal.objects.order_by("pk").values_list("pk", flat=True))
    tag_names = sorted({f"{stem}-{n}" for stem in TAG_STEMS for n in range(1, 11)})
    start = datetime(2015, 1, 1, tzinfo=UTC)
    summary = SyntheticSummary()

    with transaction.atomic(), search_triggers_paused():
        tags = _ensure_tags(tag_names)
        for offset in range(0, solutions, BATCH):
            batch = []
            for n in range(offset, min(offset + BATCH, solutions)):
                title = (
                    f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} "
                    f"{rng.choice(PURPOSES)}"
                )
                start_year = rng.randint(1990, 2025)
                batch.append(
                    Solution(
                        title=title,
                        slug=f"{SLUG_PREFIX}{seed}-{n}-{slugify(title)}"[:200],
                        summary=_paragraphs(rng, 2, 4).replace("\n\n", " "),
                        problem=_paragraphs(rng, 3, 12),
                        approach=_paragraphs(rng, 3, 16),
                        results=_paragraphs(rng, 2, 10),
                        lessons_learned=_paragraphs(rng, 2, 8),
                        funding=_sentence(rng, 8, 20),
                        city_id=rng.choice(city_ids),
                        network_id=rng.choice(network_ids),
                        stage=rng.choice(Stage.values),
                        start_year=start_year,
                        end_year=rng.choice([None, None, start_year + rng.randint(0, 8)]),
                        cost_usd=rng.choice([None, rng.randint(10, 50_000) * 1_000]),
                        status=Status.PUBLISHED,
                        published_at=start + timedelta(minutes=rng.randint(0, 60 * 24 * 3650)),
                    )
                )
            created = Solution.objects.bulk_create(batch, batch_size=BATCH)
            if not connection.features.can_return_rows_from_bulk_insert:
                slugs = [s.slug for s in batch]
                ids = dict(Solution.objects.filter(slug__in=slugs).values_list("slug", "pk"))
                for solution in batch:
                    solution.pk = ids[solution.slug]
                created = batch
            _add_related(rng, created, theme_ids, sdg_ids, tags, city_ids, network_ids, summary)
            summary.solutions += len(created)
            if progress:
                progress(summary.solutions, solutions)
        bump_content_version()  # bulk writes send no signals
    return summary


SEARCH_TRIGGERS = [
    ("solutions_solution", "solutions_solution_search"),
    ("solutions_solution_themes", "solutions_themes_search"),
    ("taggit_taggeditem", "solutions_tags_search"),
    ("solutions_indicator", "solutions_indicator_search"),
    ("solutions_transfer", "solutions_transfer_search"),
]


@contextmanager
def search_triggers_paused():
    """On PostgreSQL, build the search documents once at the end instead of row by row."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending would block ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, trigger in SEARCH_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in SEARCH_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            cursor.execute(
                "UPDATE solutions_solution SET search_document = NULL "
                "WHERE search_document IS NULL AND slug LIKE %s",
                [f"{SLUG_PREFIX}%"],
            )
        refresh_vocabulary()


def _ensure_tags(names):
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in names if name not in existing],
        batch_size=BATCH,
    )
    return list(Tag.objects.filter(name__in=names).order_by("name"))


def _add_related(rng, created, theme_ids, sdg_ids, tags, city_ids, network_ids, summary):
    solution_type = ContentType.objects.get_for_model(Solution)
    themes, sdgs, tagged, transfers, indicators, measurements = [], [], [], [], [], []
    for solution in created:
        for theme_id in rng.sample(theme_ids, rng.randint(1, 3)):
            themes.append(Solution.themes.through(solution_id=solution.pk, theme_id=theme_id))
        for sdg_id in rng.sample(sdg_ids, rng.randint(1, 3)):
            sdgs.append(
                Solution.sdgs.through(solution_id=solution.pk, sustainabledevelopmentgoal_id=sdg_id)
            )
        for tag in _tags(rng, tags):
            tagged.append(TaggedItem(tag=tag, content_type=solution_type, object_id=solution.pk))
        if rng.random() < 0.05:
            adopting = rng.choice(city_ids)
            if adopting != solution.city_id:
                year = (solution.start_year or 2000) + rng.randint(1, 6)
                transfers.append(
                    Transfer(
                        solution_id=solution.pk,
                        origin_city_id=solution.city_id,
                        adopting_city_id=adopting,
                        network_id=rng.choice(network_ids),
                        status=rng.choice(TransferStatus.values),
                        start_year=min(year, YEAR_MAX),
                        adaptations=_sentence(rng, 8, 16),
                    )
                )
        if rng.random() < 0.1:
            indicators.append(
                Indicator(
                    solution_id=solution.pk,
                    name=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}",
                    unit=rng.choice(["households", "%", "tonnes", "km", "people"]),
                    direction=rng.choice(["increase", "decrease"]),
                    baseline_year=2015,
                    baseline_value=rng.randint(10, 1000),
                )
            )
    Solution.themes.through.objects.bulk_create(themes, batch_size=BATCH)
    Solution.sdgs.through.objects.bulk_create(sdgs, batch_size=BATCH)
    TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)
    Transfer.objects.bulk_create(transfers, batch_size=BATCH)
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    if indicators and indicators[0].pk is None:
        indicators = list(
            Indicator.objects.filter(solution_id__in=[i.solution_id for i in indicators])
        )
    for indicator in indicators:
        value = indicator.baseline_value
        for year in range(2016, 2016 + rng.randint(3, 7)):
            value = max(0, value * (1 + rng.uniform(-0.1, 0.2)))
            measurements.append(Measurement(indicator=indicator, year=year, value=round(value, 2)))
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)
    summary.transfers += len(transfers)
    summary.indicators += len(indicators)
