from django.contrib import admin
from django.db.models import Count

from cities.admin import CityAdmin
from cities.models import City
from core.admin_widgets import CachedAutocompleteInlineMixin
from networks.models import Membership, Network, NetworkStaff


class MembershipInline(CachedAutocompleteInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["city"]
    fields = ["city", "role", "since_year", "until_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "network")


class CityMembershipInline(CachedAutocompleteInlineMixin, admin.TabularInline):
    model = Membership
    fk_name = "city"
    extra = 0
    autocomplete_fields = ["network"]
    fields = ["network", "role", "since_year", "until_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network", "city")


# The city admin with its networks: registered from here so that cities never imports networks.
admin.site.unregister(City)


@admin.register(City)
class CityWithMembershipsAdmin(CityAdmin):
    inlines = [*CityAdmin.inlines, CityMembershipInline]


class NetworkStaffInline(CachedAutocompleteInlineMixin, admin.TabularInline):
    model = NetworkStaff
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "network")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "founded_year", "run_by", "member_count", "solution_count"]
    search_fields = ["name", "acronym", "run_by"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline, NetworkStaffInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                solution_count=Count("solutions", distinct=True),
            )
            .order_by("name")
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not request.user.has_perm("networks.change_network"):
            # Network staff pick only the networks they work for (e.g. in autocompletes).
            queryset = queryset.filter(staff__user=request.user)
        return queryset, may_have_duplicates

    @admin.display(description="Member cities", ordering="member_count")
    def member_count(self, network):
        return network.member_count

    @admin.display(description="Solutions", ordering="solution_count")
    def solution_count(self, network):
        return network.solution_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["city", "network", "role", "since_year", "until_year"]
    list_filter = ["network", "role"]
    list_select_related = ["city", "network"]
    search_fields = ["city__name", "network__name", "network__acronym"]
    autocomplete_fields = ["city", "network"]


@admin.register(NetworkStaff)
class NetworkStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "created_at"]
    list_filter = ["network", "role"]
    list_select_related = ["user", "network"]
    search_fields = ["user__username", "user__email", "network__name"]
    autocomplete_fields = ["user", "network"]
