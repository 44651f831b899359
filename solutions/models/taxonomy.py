"""What case studies are classified by: the curated themes and the UN's goals."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the site.")
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Words and phrases that mark a case study as fitting this theme, one per line or "
            "separated by commas. The theme check lists published case studies that use them "
            "often but do not carry the theme."
        ),
    )

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
