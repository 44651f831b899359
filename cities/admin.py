from django.contrib import admin

from cities.models import City, SizeClass


class SizeClassFilter(admin.SimpleListFilter):
    title = "size class"
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return SizeClass.choices

    def queryset(self, request, queryset):
        if self.value() in SizeClass.values:
            return queryset.of_size(self.value())
        return queryset


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "region",
        "admin_area",
        "population",
        "size_class_label",
        "geonames_id",
    ]
    list_filter = ["region", SizeClassFilter]
    search_fields = ["name", "alternate_names", "admin_area", "=geonames_id"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["region", "created_at", "updated_at"]
    ordering = ["name"]
    # The networks app adds its membership inline (networks.admin), keeping the arrow down.
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "region", "admin_area", "description"]}),
        ("Population", {"fields": ["population", "population_year"]}),
        ("Location", {"fields": ["latitude", "longitude"]}),
        ("GeoNames", {"fields": ["geonames_id", "alternate_names"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Size class", ordering="population")
    def size_class_label(self, city):
        return city.get_size_class_display()
