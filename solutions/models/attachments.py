"""What a case study carries besides its text: partners, sources and images."""

from django.db import models
from django.db.models import Q

from solutions.images import image_upload_path
from solutions.models.solution import Solution


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
