from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cities.regions import Region, Subregion, region_for_country, subregion_for_country
from core.years import year_between_q

# A population figure's year: censuses go back to the nineteenth century.
YEAR_MIN, YEAR_MAX = 1800, 2100


class SizeClass(models.TextChoices):
    SMALL = "small", "Under 100,000"
    MEDIUM = "medium", "100,000 to 1 million"
    LARGE = "large", "1 to 10 million"
    MEGA = "mega", "10 million and over"

    @classmethod
    def bounds(cls, size_class):
        """The population range [low, high) of a size class; high is None for the top class."""
        return {
            cls.SMALL: (0, 100_000),
            cls.MEDIUM: (100_000, 1_000_000),
            cls.LARGE: (1_000_000, 10_000_000),
            cls.MEGA: (10_000_000, None),
        }[cls(size_class)]

    @classmethod
    def for_population(cls, population):
        if population is None:
            return None
        for size_class in cls:
            low, high = cls.bounds(size_class)
            if population >= low and (high is None or population < high):
                return size_class
        return None

    @classmethod
    def population_q(cls, size_class, prefix=""):
        """A Q object matching cities of this size class (`prefix` reaches a related city)."""
        low, high = cls.bounds(size_class)
        q = Q(**{f"{prefix}population__gte": low})
        if high is not None:
            q &= Q(**{f"{prefix}population__lt": high})
        return q


class CityQuerySet(models.QuerySet):
    def of_size(self, size_class):
        return self.filter(SizeClass.population_q(size_class))

    def with_published_work(self):
        """Cities with a published solution of their own, or one that they adopted.

        What "published" means belongs to the solutions app, above this one: its QuerySets are
        reached through the reverse relations, so cities never imports it.
        """
        solutions = self.model._meta.get_field("solutions").related_model.objects
        transfers = self.model._meta.get_field("incoming_transfers").related_model.objects
        return self.filter(
            Q(pk__in=solutions.published().values("city_id"))
            | Q(pk__in=transfers.of_published_solutions().values("adopting_city_id"))
        )


class City(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    country = CountryField()
    region = models.CharField(
        max_length=20,
        choices=Region,
        editable=False,
        help_text="World region, derived from the country.",
    )
    subregion = models.CharField(
        _("sub-region"),
        max_length=40,
        choices=Subregion,
        blank=True,
        editable=False,
        help_text=_("UN M49 sub-region, derived from the country."),
    )
    admin_area = models.CharField(
        "administrative area", max_length=200, blank=True, help_text="State, province or county."
    )
    population = models.PositiveBigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the population figure refers to."
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(
        "GeoNames id", unique=True, null=True, blank=True, help_text="Set by import_cities."
    )
    alternate_names = models.TextField(
        blank=True, help_text="Other names and spellings, one per line. Search finds them."
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["name", "country"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                name="cities_city_latitude_in_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                name="cities_city_longitude_in_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="cities_city_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=year_between_q("population_year", YEAR_MIN, YEAR_MAX),
                name="cities_city_population_year_plausible",
                violation_error_message=(
                    f"The population year must be between {YEAR_MIN} and {YEAR_MAX}."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="cities_city_name_not_empty",
                violation_error_message="A city needs a name.",
            ),
        ]
        indexes = [
            models.Index(fields=["country"], name="cities_city_country_idx"),
            models.Index(fields=["region"], name="cities_city_region_idx"),
            models.Index(fields=["subregion"], name="cities_city_subregion_idx"),
            models.Index(fields=["population"], name="cities_city_population_idx"),
            models.Index(fields=["name"], name="cities_city_name_idx"),
        ]

    def __str__(self):
        return f"{self.name}, {self.country.name}" if self.country else self.name

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country)
        self.subregion = subregion_for_country(self.country)
        if kwargs.get("update_fields") is not None and "country" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "region", "subregion"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cities:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.country and not region_for_country(self.country):
            raise ValidationError({"country": "This country has no known world region."})

    @property
    def size_class(self):
        return SizeClass.for_population(self.population)

    def get_size_class_display(self):
        size_class = self.size_class
        return size_class.label if size_class else ""

    @property
    def alternate_name_list(self):
        return [name for name in self.alternate_names.splitlines() if name.strip()]
