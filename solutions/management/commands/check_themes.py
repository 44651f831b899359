from django.core.management.base import BaseCommand, CommandError

from solutions.models import Theme
from solutions.theme_check import missing_themes


class Command(BaseCommand):
    help = (
        "List published case studies whose text strongly matches a theme they do not carry "
        "(by each theme's keywords). Exits with status 1 when it lists any, with --fail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--theme", action="append", help="Only this theme (a slug).")
        parser.add_argument("--fail", action="store_true", help="Exit 1 when any is listed.")

    def handle(self, *args, theme, fail, **options):
        themes = Theme.objects.exclude(keywords="")
        if theme:
            themes = themes.filter(slug__in=theme)
            unknown = set(theme) - set(themes.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"No theme with keywords has the slug {', '.join(unknown)}.")
        missing = missing_themes(themes=themes)
        for item in missing:
            words = ", ".join(f"{word} ×{count}" for word, count in item.words)
            self.stdout.write(
                f"{item.theme.name}: {item.solution.title} ({item.solution.city.name}) "
                f"[{item.solution.slug}], {item.score} points: {words}"
            )
        self.stdout.write(f"{len(missing)} case studies may lack a theme.")
        if missing and fail:
            raise SystemExit(1)
