"""The admin of what case studies are classified by: themes, the goals and tags."""

from django.contrib import admin
from django.db.models import Count
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from solutions.models import SustainableDevelopmentGoal, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "solution_count"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(solution_count=Count("solutions"))
            .order_by("position", "name")
        )

    @admin.display(description="Solutions", ordering="solution_count")
    def solution_count(self, theme):
        return theme.solution_count


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name", "=number"]


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """Taggit's tag admin without its inline, which costs a query per tagged item."""

    inlines = []
    list_display = ["name", "slug", "usage_count"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(usage_count=Count("taggit_taggeditem_items"))
            .order_by("name")
        )

    @admin.display(description="Used on", ordering="usage_count")
    def usage_count(self, tag):
        return tag.usage_count
