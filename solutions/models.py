import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from cities.models import City
from networks.models import Network
from solutions.images import image_upload_path

YEAR_MIN, YEAR_MAX = 1900, 2100
# Paths under /solutions/ that a solution's slug must not take.
RESERVED_SLUGS = {"feed", "export"}


def validate_not_reserved_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"“{slug}” is used by another page of the site; choose another slug.")


def year_in_range_q(field):
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


def years_in_order_q(start, end):
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)})
    )


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the site.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("solutions:theme", kwargs={"slug": self.slug})


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals; the rows come with a migration."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = "Sustainable Development Goal"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17),
                name="solutions_sdg_number_1_to_17",
                violation_error_message="There are 17 Sustainable Development Goals.",
            ),
        ]

    def __str__(self):
        return f"SDG {self.number}: {self.name}"

    def get_absolute_url(self):
        return reverse("solutions:list") + f"?sdg={self.number}"


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


LONG_TEXT_FIELDS = [
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "funding",
    "search_document",
]


RELATED_CANDIDATES = 200


class SolutionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def for_network(self, network):
        return self.filter(network=network)

    def in_theme(self, theme):
        return self.filter(themes=theme)

    def from_city(self, city):
        return self.filter(city=city)

    def for_listing(self):
        """Everything a list of solutions shows, in a fixed number of queries."""
        return (
            self.without_long_text()
            .select_related("city", "network")
            .prefetch_related("themes", "tags")
        )

    def without_long_text(self):
        """Leave out the long sections and the search document, which lists never show."""
        return self.defer(*LONG_TEXT_FIELDS)

    def newest_first(self):
        # Plain DESC matches the (status, -published_at) index; published rows always have a
        # date (a constraint), and drafts without one come first, which lists never show.
        return self.order_by("-published_at", "-created_at")

    def visible_to(self, user):
        """Published solutions, plus those this person may preview (see solutions.roles)."""
        from solutions.roles import is_active_user, is_curator, staff_network_ids

        if is_curator(user):
            return self
        visible = Q(status=Status.PUBLISHED)
        if is_active_user(user):
            visible |= Q(author=user) | Q(network__in=staff_network_ids(user))
        return self.filter(visible)


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
                violation_error_message="The end year cannot be before the start year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("start_year") & year_in_range_q("end_year"),
                name="solutions_solution_years_plausible",
                violation_error_message=f"Years must be between {YEAR_MIN} and {YEAR_MAX}.",
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

    def missing_for_review(self):
        """What a solution still needs before it can go to review (empty when complete)."""
        missing = [
            label
            for field, label in [
                ("summary", "a summary"),
                ("problem", "the problem"),
                ("approach", "the approach"),
            ]
            if not getattr(self, field).strip()
        ]
        if not self.city_id:
            missing.append("an origin city")
        if not self.pk or not self.themes.exists():
            missing.append("at least one theme")
        return missing

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


class PartnerSector(models.TextChoices):
    GOVERNMENT = "government", "Government"
    BUSINESS = "business", "Business"
    NONPROFIT = "nonprofit", "Non-profit"
    COMMUNITY = "community", "Community and grassroots"
    ACADEMIA = "academia", "Academia"
    MEDIA = "media", "Media"
    PHILANTHROPY = "philanthropy", "Philanthropy"
    INTERNATIONAL = "international", "International organisation"


class Partner(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=PartnerSector)
    role = models.CharField(max_length=300, blank=True, help_text="What the partner did.")

    class Meta:
        ordering = ["sector", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "name"],
                name="solutions_partner_unique_per_solution",
                violation_error_message="This partner is already listed for this solution.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_sector_display()})"

    def get_absolute_url(self):
        return self.solution.get_absolute_url() + "#partners"


class SourceLink(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "url"],
                name="solutions_sourcelink_unique_url_per_solution",
                violation_error_message="This link is already a source of this solution.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.solution.get_absolute_url() + "#sources"


class SolutionImage(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=image_upload_path)
    alt_text = models.CharField(
        max_length=300, help_text="What the image shows, for people who cannot see it."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""),
                name="solutions_solutionimage_alt_text_not_empty",
                violation_error_message="Every image needs alternative text.",
            ),
        ]

    def __str__(self):
        return self.alt_text

    def get_absolute_url(self):
        return self.solution.get_absolute_url() + "#images"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class Trend(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    STEADY = "steady", "No change"


class Indicator(models.Model):
    """Something the city measured, so a reader can see whether it trends the right way."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.INCREASE)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=years_in_order_q("baseline_year", "target_year"),
                name="solutions_indicator_years_in_order",
                violation_error_message="The target year cannot be before the baseline year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("baseline_year") & year_in_range_q("target_year"),
                name="solutions_indicator_years_plausible",
                violation_error_message=f"Years must be between {YEAR_MIN} and {YEAR_MAX}.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def get_absolute_url(self):
        return self.solution.get_absolute_url() + f"#indicator-{self.pk}"

    def trend(self):
        """Compare the latest measurement with the first (uses prefetched measurements)."""
        values = [m.value for m in sorted(self.measurements.all(), key=lambda m: m.year)]
        if len(values) < 2:
            return None
        change = values[-1] - values[0]
        if change == 0:
            return Trend.STEADY
        going_up = change > 0
        return (
            Trend.IMPROVING
            if going_up == (self.direction == Direction.INCREASE)
            else (Trend.WORSENING)
        )


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="solutions_measurement_one_per_year",
                violation_error_message="This indicator already has a value for that year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("year"),
                name="solutions_measurement_year_plausible",
                violation_error_message=f"Years must be between {YEAR_MIN} and {YEAR_MAX}.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name} {self.year}: {self.value:g}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PROGRESS = "in_progress", "In progress"
    ADOPTED = "adopted", "Adopted"
    ADAPTED = "adapted", "Adapted"
    DISCONTINUED = "discontinued", "Discontinued"


class TransferQuerySet(models.QuerySet):
    def of_published_solutions(self):
        return self.filter(solution__status=Status.PUBLISHED)

    def across_national_borders(self):
        return self.exclude(origin_city__country=F("adopting_city__country"))

    def across_regional_borders(self):
        return self.exclude(origin_city__region=F("adopting_city__region"))

    def for_listing(self):
        return self.select_related("solution", "origin_city", "adopting_city", "network")


class Transfer(models.Model):
    """A solution carried from one city to another."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="transfers")
    origin_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="outgoing_transfers"
    )
    adopting_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokered_transfers",
        help_text="The network that brokered the transfer, if any.",
    )
    status = models.CharField(
        max_length=20, choices=TransferStatus, default=TransferStatus.PROPOSED
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    adaptations = models.TextField(blank=True, help_text="What was changed for the new place.")
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin_city=F("adopting_city")),
                name="solutions_transfer_cities_differ",
                violation_error_message="A transfer goes from one city to a different city.",
            ),
            models.UniqueConstraint(
                fields=["solution", "adopting_city"],
                name="solutions_transfer_unique_solution_adopting_city",
                violation_error_message="This solution is already recorded as transferred there.",
            ),
            models.CheckConstraint(
                condition=years_in_order_q("start_year", "end_year"),
                name="solutions_transfer_years_in_order",
                violation_error_message="The end year cannot be before the start year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("start_year") & year_in_range_q("end_year"),
                name="solutions_transfer_years_plausible",
                violation_error_message=f"Years must be between {YEAR_MIN} and {YEAR_MAX}.",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="solutions_transfer_status_idx"),
        ]

    def __str__(self):
        return f"{self.solution.title}: {self.origin_city.name} → {self.adopting_city.name}"

    def get_absolute_url(self):
        return reverse("solutions:transfers") + f"#transfer-{self.pk}"

    @property
    def crosses_national_border(self):
        return self.origin_city.country != self.adopting_city.country

    @property
    def crosses_regional_border(self):
        return self.origin_city.region != self.adopting_city.region


class WorkflowEvent(models.Model):
    """One change of a solution's workflow status: who, from, to, when and why."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_events",
    )
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="solutions_workflowevent_status_changes",
                violation_error_message="A workflow event must change the status.",
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=Status.values, to_status__in=Status.values),
                name="solutions_workflowevent_statuses_valid",
                violation_error_message="Unknown workflow status.",
            ),
        ]
        indexes = [
            models.Index(fields=["solution", "created_at"], name="solutions_event_sol_time_idx"),
        ]

    def __str__(self):
        return (
            f"{self.solution.title}: {self.get_from_status_display()} → "
            f"{self.get_to_status_display()}"
        )

    def get_absolute_url(self):
        return self.solution.get_absolute_url()


class ReviewQueueItem(Solution):
    """Solutions waiting on the workflow, for the curators' review queue in the admin."""

    class Meta:
        proxy = True
        verbose_name = "review queue item"
        verbose_name_plural = "review queue"


# History: every saved version of a solution keeps its related rows with it.
# A tagged item does not follow its tag: tags are shared, and restoring one solution must
# never delete a tag that other solutions use.
reversion.register(TaggedItem)
reversion.register(Measurement)
reversion.register(Indicator, follow=["measurements"])
reversion.register(Partner)
reversion.register(SourceLink)
reversion.register(SolutionImage)
reversion.register(
    Solution,
    # Transfers are curated on their own, so restoring a version never removes one.
    follow=["partners", "sources", "images", "indicators", "tagged_items"],
    exclude=["search_document"],  # derived by the database
)
