from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from cities.models import City
from core.years import year_between_q

# Founding and membership years: networks go back to the nineteenth century.
YEAR_MIN, YEAR_MAX = 1800, 2100


class NetworkQuerySet(models.QuerySet):
    def with_counts(self):
        """Current member cities and published solutions, for the list of networks.

        What "published" means belongs to the solutions app, above this one: its QuerySet is
        reached through the reverse relation, so networks never imports it.
        """
        solutions = self.model._meta.get_field("solutions").related_model.objects
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=Q(memberships__until_year__isnull=True), distinct=True
            ),
            published_count=models.Count(
                "solutions", filter=Q(solutions__in=solutions.published()), distinct=True
            ),
        )


class Network(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    acronym = models.CharField(max_length=20, blank=True)
    tagline = models.CharField(max_length=250, blank=True, help_text="One line on what it does.")
    description = models.TextField(blank=True, help_text="Markdown.")
    website = models.URLField(blank=True)
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    run_by = models.CharField(
        max_length=200, blank=True, help_text="The organisation that runs or hosts the network."
    )
    headquarters = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=year_between_q("founded_year", YEAR_MIN, YEAR_MAX),
                name="networks_network_founded_year_plausible",
                violation_error_message=(
                    f"The founding year must be between {YEAR_MIN} and {YEAR_MAX}."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="networks_network_name_not_empty",
                violation_error_message="A network needs a name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:detail", kwargs={"slug": self.slug})

    @property
    def short_name(self):
        return self.acronym or self.name


class MembershipRole(models.TextChoices):
    FOUNDING_MEMBER = "founding-member", "Founding member"
    MEMBER = "member", "Member"
    LEAD_CITY = "lead-city", "Lead city"


class Membership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER)
    since_year = models.PositiveSmallIntegerField(null=True, blank=True)
    until_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty while the city is a member."
    )

    class Meta:
        ordering = ["network", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "city"],
                name="networks_membership_unique_network_city",
                violation_error_message="This city is already a member of this network.",
            ),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True)
                | Q(since_year__isnull=True)
                | Q(until_year__gte=F("since_year")),
                name="networks_membership_years_in_order",
                violation_error_message="A membership cannot end before it began.",
            ),
            models.CheckConstraint(
                condition=year_between_q("since_year", YEAR_MIN, YEAR_MAX),
                name="networks_membership_since_year_plausible",
                violation_error_message=(
                    f"The joining year must be between {YEAR_MIN} and {YEAR_MAX}."
                ),
            ),
            models.CheckConstraint(
                condition=year_between_q("until_year", YEAR_MIN, YEAR_MAX),
                name="networks_membership_until_year_plausible",
                violation_error_message=(
                    f"The leaving year must be between {YEAR_MIN} and {YEAR_MAX}."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.city.name} in {self.network.short_name}"

    def get_absolute_url(self):
        return self.network.get_absolute_url() + "#members"


class StaffRole(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    COORDINATOR = "coordinator", "Coordinator"


class NetworkStaff(models.Model):
    """A user who works for a network; it decides which networks they may submit for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=20, choices=StaffRole, default=StaffRole.CONTRIBUTOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "network staff member"
        verbose_name_plural = "network staff"
        ordering = ["network", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                name="networks_networkstaff_unique_user_network",
                violation_error_message="This user is already on this network's staff.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.network.short_name})"

    def get_absolute_url(self):
        return self.network.get_absolute_url()
