"""What each item of the API holds. Every object carries its stable identifier (a slug, or an
id for rows without one), the absolute URL of its public page (`url`) and of its API resource
(`api_url`) where it has them; dates are ISO 8601; choices are given as their value and label.

Only published content is ever reached: the views hand in published case studies, and every
nested list here (transfers, a city's counts) is filtered to published ones before it gets
here, never after.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.models import City
from networks.models import Membership, Network
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
)


class PageURLField(serializers.Field):
    """The absolute URL of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


PageURLField = extend_schema_field(OpenApiTypes.URI)(PageURLField)


def api_url(view_name, lookup_field="slug"):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}", lookup_field=lookup_field
    )


class ChoiceField(serializers.Serializer):
    """A choice as its stable value and its label in words."""

    value = serializers.CharField()
    label = serializers.CharField()


def choice(instance, name):
    value = getattr(instance, name)
    return {"value": value, "label": getattr(instance, f"get_{name}_display")()} if value else None


@extend_schema_field(ChoiceField)
class LabelledChoiceField(serializers.Field):
    """The model field of the same name as its stored value and its label in words."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return choice(instance, self.field_name)


class ThemeBriefSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("theme-detail")

    class Meta:
        model = Theme
        fields = ["slug", "name", "url", "api_url"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = SustainableDevelopmentGoal
        fields = ["number", "name"]


class CityBriefSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("city-detail")
    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "country",
            "country_name",
            "region",
            "subregion",
            "url",
            "api_url",
        ]


class NetworkBriefSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("network-detail")

    class Meta:
        model = Network
        fields = ["slug", "name", "acronym", "url", "api_url"]


class SolutionBriefSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("solution-detail")

    class Meta:
        model = Solution
        fields = ["slug", "title", "url", "api_url"]


class SolutionListSerializer(serializers.ModelSerializer):
    """A case study as a list shows it: what it is, where, by whom, and when."""

    url = PageURLField()
    api_url = api_url("solution-detail")
    city = CityBriefSerializer()
    network = NetworkBriefSerializer()
    themes = ThemeBriefSerializer(many=True)
    tags = serializers.SerializerMethodField()
    sdgs = GoalSerializer(many=True)
    stage = LabelledChoiceField()

    class Meta:
        model = Solution
        fields = [
            "id",
            "slug",
            "title",
            "url",
            "api_url",
            "summary",
            "city",
            "network",
            "themes",
            "tags",
            "sdgs",
            "stage",
            "start_year",
            "end_year",
            "cost_usd",
            "published_at",
            "updated_at",
        ]

    def get_tags(self, solution) -> list[str]:
        return sorted(tag.name for tag in solution.tags.all())


class PartnerSerializer(serializers.ModelSerializer):
    sector = LabelledChoiceField()

    class Meta:
        model = Partner
        fields = ["name", "sector", "role"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceLink
        fields = ["title", "url"]


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = SolutionImage
        fields = ["url", "alt_text", "caption", "credit"]

    def get_url(self, image) -> str:
        return self.context["request"].build_absolute_uri(image.image.url)


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["year", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    direction = LabelledChoiceField()
    trend = serializers.SerializerMethodField()
    measurements = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "notes",
            "trend",
            "measurements",
        ]

    @extend_schema_field(ChoiceField(allow_null=True))
    def get_trend(self, indicator):
        trend = indicator.trend()
        return {"value": trend.value, "label": trend.label} if trend else None

    @extend_schema_field(MeasurementSerializer(many=True))
    def get_measurements(self, indicator):
        ordered = sorted(indicator.measurements.all(), key=lambda m: m.year)
        return MeasurementSerializer(ordered, many=True).data


class TransferSerializer(serializers.ModelSerializer):
    """A case study carried from one city to another."""

    api_url = api_url("transfer-detail", lookup_field="pk")
    solution = SolutionBriefSerializer()
    origin_city = CityBriefSerializer()
    adopting_city = CityBriefSerializer()
    network = NetworkBriefSerializer(allow_null=True)
    status = LabelledChoiceField()
    crosses_national_border = serializers.BooleanField()
    crosses_regional_border = serializers.BooleanField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "api_url",
            "solution",
            "origin_city",
            "adopting_city",
            "network",
            "status",
            "start_year",
            "end_year",
            "adaptations",
            "outcome",
            "crosses_national_border",
            "crosses_regional_border",
        ]


class SolutionTransferSerializer(TransferSerializer):
    """A transfer within its case study: the case study itself is the one around it."""

    class Meta(TransferSerializer.Meta):
        fields = [name for name in TransferSerializer.Meta.fields if name != "solution"]


class SolutionDetailSerializer(SolutionListSerializer):
    """A case study whole: every section (as the Markdown it was written in), its partners,
    sources, images, indicators with their measurements and trend, and its transfers."""

    partners = PartnerSerializer(many=True)
    sources = SourceSerializer(many=True)
    images = ImageSerializer(many=True)
    indicators = IndicatorSerializer(many=True)
    transfers = SolutionTransferSerializer(many=True)
    contact = serializers.SerializerMethodField()

    class Meta(SolutionListSerializer.Meta):
        fields = SolutionListSerializer.Meta.fields + [
            "problem",
            "approach",
            "results",
            "lessons_learned",
            "funding",
            "contact",
            "partners",
            "sources",
            "images",
            "indicators",
            "transfers",
        ]

    def get_contact(self, solution) -> dict[str, str]:
        # The page shows the e-mail address to people; the API does not hand it to harvesters.
        return {"name": solution.contact_name, "organisation": solution.contact_organisation}


class CitySerializer(serializers.ModelSerializer):
    """A city with published work: where it is, how big, and how much it has to show."""

    url = PageURLField()
    api_url = api_url("city-detail")
    country = serializers.CharField(source="country.code")
    country_name = serializers.CharField(source="country.name")
    size_class = serializers.SerializerMethodField()
    alternate_names = serializers.ListField(
        source="alternate_name_list", child=serializers.CharField()
    )
    solution_count = serializers.IntegerField(help_text="Published case studies from this city.")
    adopted_count = serializers.IntegerField(
        help_text="Transfers of published case studies that this city took up or is taking up."
    )
    sent_count = serializers.IntegerField(
        help_text="Transfers of this city's published case studies to other cities."
    )

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "country",
            "country_name",
            "admin_area",
            "region",
            "subregion",
            "population",
            "population_year",
            "size_class",
            "latitude",
            "longitude",
            "geonames_id",
            "alternate_names",
            "solution_count",
            "adopted_count",
            "sent_count",
        ]

    @extend_schema_field(ChoiceField(allow_null=True))
    def get_size_class(self, city):
        size_class = city.size_class
        return {"value": size_class.value, "label": size_class.label} if size_class else None


class MemberSerializer(serializers.ModelSerializer):
    city = CityBriefSerializer()
    role = LabelledChoiceField()

    class Meta:
        model = Membership
        fields = ["city", "role", "since_year", "until_year"]


class NetworkSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("network-detail")
    member_count = serializers.IntegerField(help_text="Cities that are members today.")
    published_count = serializers.IntegerField(help_text="Published case studies it documented.")

    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "acronym",
            "url",
            "api_url",
            "tagline",
            "description",
            "website",
            "founded_year",
            "run_by",
            "headquarters",
            "member_count",
            "published_count",
        ]


class NetworkDetailSerializer(NetworkSerializer):
    members = MemberSerializer(source="memberships", many=True)

    class Meta(NetworkSerializer.Meta):
        fields = NetworkSerializer.Meta.fields + ["members"]


class ThemeSerializer(serializers.ModelSerializer):
    url = PageURLField()
    api_url = api_url("theme-detail")
    published_count = serializers.IntegerField(help_text="Published case studies in the theme.")

    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "url", "api_url", "published_count"]
