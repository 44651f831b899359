from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from solutions.synthetic import delete_synthetic, generate


class Command(BaseCommand):
    help = (
        "For benchmarks only: create N deterministic synthetic published solutions spread over "
        "M cities (with themes, tags, SDGs, transfers and indicators). Needs the cities "
        "(import_cities) and the demo networks and themes (seed_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--solutions", type=int, default=1_000)
        parser.add_argument("--cities", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete earlier synthetic solutions first.",
        )

    def handle(self, *args, solutions, cities, seed, replace, verbosity, **options):
        if solutions < 1 or cities < 1:
            raise CommandError("--solutions and --cities must be at least 1.")
        if replace:
            self.stdout.write(f"Deleted {delete_synthetic():,} synthetic rows.")

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(f"  {done:,} of {total:,} solutions")

        started = perf_counter()
        try:
            summary = generate(solutions=solutions, cities=cities, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {summary.solutions:,} solutions, {summary.transfers:,} transfers and "
                f"{summary.indicators:,} indicators in {perf_counter() - started:.1f} s."
            )
        )
