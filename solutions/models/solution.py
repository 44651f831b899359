"""The case study: what a city did, documented by a network, and its workflow status."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from cities.models import City
from networks.models import Network
from solutions.models.taxonomy import SustainableDevelopmentGoal, Theme
from solutions.models.years import (
    YEARS_MESSAGE,
    YEARS_ORDER_MESSAGE,
    year_in_range_q,
    years_in_order_q,
)

# Paths under /solutions/ that a solution's slug must not take.
RESERVED_SLUGS = {"feed", "export"}


def validate_not_reserved_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"“{slug}” is used by another page of the site; choose another slug.")


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    PILOT = "pilot", "Pilot"
    IMPLEMENTED = "implemented", "Implemented"
    SCALED = "scaled", "Scaled up"
    DISCONTINUED = "discontinued", "Discontinued"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# What a case study needs before it can go to review, by form field.
REVIEW_REQUIREMENTS = [
    ("summary", _("a summary")),
    ("problem", _("the problem")),
    ("approach", _("the approach")),
    ("city", _("an origin city")),
    ("themes", _("at least one theme")),
]
TEXT_NEEDED_FOR_REVIEW = ["summary", "problem", "approach"]

LONG_TEXT_FIELDS = [
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "funding",
    "search_document",
]


RELATED_CANDIDATES = 200


def published_q(prefix=""):
    """What "published" means, as a condition on solutions (`prefix` reaches them through a
    relation, e.g. "solutions__")."""
    return Q(**{f"{prefix}status": Status.PUBLISHED})


class SolutionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def in_theme(self, theme):
        return self.filter(themes=theme)

    def for_listing(self):
        """Everything a list of solutions shows, in a fixed number of queries."""
        return (
            self.without_long_text()
            .select_related("city", "network")
            .prefetch_related("themes", "tags")
        )

    def whole(self):
        """Each case study with everything its page and the API show of it, in a fixed number
        of queries: city and network, themes, tags, goals, partners, sources, images,
        indicators with their measurements, and transfers with their cities and network."""
        from solutions.models.indicators import Indicator  # they import this module
        from solutions.models.transfers import Transfer

        return self.select_related("city", "network").prefetch_related(
            "themes",
            "tags",
            "sdgs",
            "partners",
            "sources",
            "images",
            models.Prefetch(
                "indicators", queryset=Indicator.objects.prefetch_related("measurements")
            ),
            models.Prefetch(
                "transfers",
                queryset=Transfer.objects.select_related("origin_city", "adopting_city", "network"),
            ),
        )

    def without_long_text(self):
        """Leave out the long sections and the search document, which lists never show."""
        return self.defer(*LONG_TEXT_FIELDS)

    def newest_first(self):
        # Plain DESC matches the (status, -published_at) index; published rows always have a
        # date (a constraint), and drafts without one come first, which lists never show.
        return self.order_by("-published_at", "-created_at")


class Solution(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, validators=[validate_not_reserved_slug])
    summary = models.TextField(blank=True, help_text="One plain paragraph.")
    problem = models.TextField(blank=True, help_text="Markdown.")
    approach = models.TextField(blank=True, help_text="Markdown.")
    results = models.TextField(blank=True, help_text="Markdown.")
    lessons_learned = models.TextField(
        blank=True, help_text="What worked and what fell short. Markdown."
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="solutions", verbose_name="origin city"
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="solutions",
        help_text="The network that documented it.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="solutions")
    tags = TaggableManager(blank=True, help_text="Free-form keywords, comma-separated.")
    tagged_items = GenericRelation(TaggedItem, related_query_name="solution")
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        blank=True,
        related_name="solutions",
        verbose_name="Sustainable Development Goals",
    )
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.IMPLEMENTED)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty if it is still running."
    )
    cost_usd = models.PositiveBigIntegerField(
        "approximate cost (US$)", null=True, blank=True, help_text="Total, in US dollars."
    )
    funding = models.TextField(
        "cost and funding", blank=True, help_text="Who paid, and how. Markdown."
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_organisation = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="solutions",
        help_text="The person who created the entry.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept current by PostgreSQL triggers (migration 0010); unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [("review_solution", "Can review, publish and archive solutions")]
        constraints = [
            models.CheckConstraint(
                condition=years_in_order_q("start_year", "end_year"),
                name="solutions_solution_years_in_order",
                violation_error_message=YEARS_ORDER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=year_in_range_q("start_year") & year_in_range_q("end_year"),
                name="solutions_solution_years_plausible",
                violation_error_message=YEARS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PUBLISHED, Status.ARCHIVED])
                | Q(published_at__isnull=False),
                name="solutions_solution_published_has_date",
                violation_error_message="A published solution needs a publication date.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="solutions_solution_status_valid",
                violation_error_message="Unknown workflow status.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="solutions_solution_title_not_empty",
                violation_error_message="A solution needs a title.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="solutions_status_pub_idx"),
            models.Index(fields=["status", "stage"], name="solutions_status_stage_idx"),
            models.Index(fields=["city", "status"], name="solutions_city_status_idx"),
            models.Index(fields=["network", "status"], name="solutions_network_status_idx"),
            models.Index(fields=["start_year"], name="solutions_start_year_idx"),
            models.Index(fields=["title"], name="solutions_title_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("solutions:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED

    @property
    def is_editable_by_submitter(self):
        return self.status in (Status.DRAFT, Status.CHANGES_REQUESTED)

    @property
    def is_sent_back(self):
        """A curator asked for changes: the submitter resubmits rather than submits."""
        return self.status == Status.CHANGES_REQUESTED

    def review_checklist(self):
        """What review needs (`REVIEW_REQUIREMENTS`), each as (field, label, done). Themes
        are read from the database: a case study not yet saved has none."""
        done = {name: bool(getattr(self, name).strip()) for name in TEXT_NEEDED_FOR_REVIEW}
        done["city"] = bool(self.city_id)
        done["themes"] = bool(self.pk) and self.themes.exists()
        return [(name, label, done[name]) for name, label in REVIEW_REQUIREMENTS]

    def missing_for_review(self):
        """What a solution still needs before it can go to review (empty when complete)."""
        return [str(label) for _name, label, done in self.review_checklist() if not done]

    def related(self):
        """Published solutions sharing the most themes with this one, among the newest 200
        that share any (reads prefetched themes; one query however many solutions exist)."""
        theme_ids = [theme.pk for theme in self.themes.all()]
        candidates = (
            Solution.objects.published()
            .filter(
                pk__in=Solution.themes.through.objects.filter(theme_id__in=theme_ids).values(
                    "solution_id"
                )
            )
            .exclude(pk=self.pk)
            .order_by("-published_at")
            .values("pk")[:RELATED_CANDIDATES]
        )
        return (
            Solution.objects.filter(pk__in=candidates)
            .annotate(shared_themes=models.Count("themes", filter=Q(themes__in=theme_ids)))
            .select_related("city")
            .only("title", "slug", "published_at", "city__name", "city__slug")
            .order_by("-shared_themes", "-published_at", "pk")
        )

    @property
    def years_display(self):
        if self.start_year and self.end_year:
            return (
                str(self.start_year)
                if self.start_year == self.end_year
                else f"{self.start_year}–{self.end_year}"
            )
        if self.start_year:
            return f"Since {self.start_year}"
        return ""
