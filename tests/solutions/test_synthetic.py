"""generate_synthetic: a deterministic body of published solutions for benchmarks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from solutions.models import Indicator, Solution, Status, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("import_cities", "--min-population", "1000000", stdout=StringIO())


def generate(*args):
    out = StringIO()
    call_command("generate_synthetic", *args, stdout=out)
    return out.getvalue()


def snapshot():
    synthetic = Solution.objects.filter(slug__startswith="synthetic-").order_by("slug")
    return [
        (
            s.slug,
            s.title,
            s.summary,
            s.problem,
            s.city.geonames_id,
            s.network.slug,
            s.stage,
            s.start_year,
            s.published_at,
            sorted(t.slug for t in s.themes.all()),
            sorted(t.name for t in s.tags.all()),
            sorted(g.number for g in s.sdgs.all()),
        )
        for s in synthetic.select_related("city", "network").prefetch_related(
            "themes", "tags", "sdgs"
        )
    ]


def test_the_same_seed_gives_the_same_solutions(base):
    generate("--solutions", "150", "--cities", "40", "--seed", "3")
    first = snapshot()
    transfers = list(
        Transfer.objects.filter(solution__slug__startswith="synthetic-")
        .order_by("solution__slug")
        .values_list("solution__slug", "adopting_city__geonames_id", "status")
    )

    generate("--solutions", "150", "--cities", "40", "--seed", "3", "--replace")

    assert snapshot() == first
    assert (
        list(
            Transfer.objects.filter(solution__slug__startswith="synthetic-")
            .order_by("solution__slug")
            .values_list("solution__slug", "adopting_city__geonames_id", "status")
        )
        == transfers
    )


def test_a_different_seed_gives_different_solutions(base):
    generate("--solutions", "30", "--cities", "20", "--seed", "1")
    first = [row[1:] for row in snapshot()]
    generate("--solutions", "30", "--cities", "20", "--seed", "2", "--replace")
    assert [row[1:] for row in snapshot()] != first


def test_the_solutions_are_published_varied_and_spread_over_the_cities_asked_for(base):
    output = generate("--solutions", "400", "--cities", "25", "--seed", "9")
    synthetic = Solution.objects.filter(slug__startswith="synthetic-")

    assert "Created 400 solutions" in output
    assert synthetic.count() == 400
    assert set(synthetic.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert synthetic.values("city").distinct().count() == 25
    assert synthetic.values("network").distinct().count() == 4
    lengths = [len(text) for text in synthetic.values_list("approach", flat=True)]
    assert max(lengths) > 2 * min(lengths)
    assert Transfer.objects.filter(solution__in=synthetic).exists()
    assert Indicator.objects.filter(solution__in=synthetic, measurements__isnull=False).exists()
    assert all(s.themes.exists() and s.tags.exists() for s in synthetic[:20])


def test_without_cities_or_networks_it_says_what_to_run_first(db):
    with pytest.raises(CommandError, match="run import_cities first"):
        generate("--solutions", "10")


def test_bad_numbers_are_refused(base):
    with pytest.raises(CommandError, match="at least 1"):
        generate("--solutions", "0")
