"""The admin of what case studies are classified by: themes, the goals and tags."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext
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
    """Taggit's tag admin without its inline, which costs a query per tagged item, and with its
    merge page for those who may change tags, on tags that exist."""

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

    def merge_tags_view(self, request):
        # Taggit's page checks no permission, and looks up whatever ids the session holds.
        if not self.has_change_permission(request):
            raise PermissionDenied
        held = request.session.get("selected_tag_ids", "").split(",")
        ids = [value for value in held if value.isascii() and value.isdigit() and len(value) < 19]
        existing = [str(pk) for pk in Tag.objects.filter(pk__in=ids).values_list("pk", flat=True)]
        if not existing:
            request.session.pop("selected_tag_ids", None)
            self.message_user(
                request, gettext("Choose the tags to merge in the list first."), messages.WARNING
            )
            return redirect("admin:taggit_tag_changelist")
        request.session["selected_tag_ids"] = ",".join(existing)
        return super().merge_tags_view(request)
