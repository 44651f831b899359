"""The admin site: every ModelAdmin registered on it (ours, Django's, taggit's) answers bad
input with the admin's own messages instead of a server error.

Django's admin trusts some input it is handed: the ids posted with a changelist action, the
values an add page takes from its query string, date-hierarchy years, NUL characters in
filters and searches (PostgreSQL refuses them), and object ids in history URLs. The mixin
checks each before Django uses it.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext

from core.ids import valid_value

MAX_SEARCH_LENGTH = 200
# Date-hierarchy parts and what they may be: its links step one year or month past the chosen.
DATE_PARTS = {"__year": range(1, 9999), "__month": range(1, 13), "__day": range(1, 32)}


class SafeModelAdminMixin:
    def response_action(self, request, queryset, **kwargs):
        name = helpers.ACTION_CHECKBOX_NAME
        selected = request.POST.getlist(name)
        usable = [value for value in selected if valid_value(self.model._meta.pk, value)]
        if len(usable) != len(selected):
            post = request.POST.copy()
            post.setlist(name, usable)
            request.POST = post  # Django then says that items must be selected, if none are left
        return super().response_action(request, queryset, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - not a model field: Django ignores it
                continue
            if not field.is_relation:
                continue
            target = field.target_field
            values = value if isinstance(value, list) else [value]
            if not all(valid_value(target, item) for item in values):
                del initial[name]
        return initial

    def get_changelist_instance(self, request):
        for key, values in request.GET.lists():
            if any("\x00" in value for value in values):
                raise IncorrectLookupParameters(key)
            for suffix, allowed in DATE_PARTS.items():
                if key.endswith(suffix) and not all(
                    value.isascii() and value.isdigit() and int(value) in allowed
                    for value in values
                ):
                    raise IncorrectLookupParameters(key)
        return super().get_changelist_instance(request)

    def get_search_results(self, request, queryset, search_term):
        # No NUL (PostgreSQL refuses it), and no more than anyone types: a 5,000-character term
        # cost up to a second of the database per request.
        term = search_term.replace("\x00", "")[:MAX_SEARCH_LENGTH]
        return super().get_search_results(request, queryset, term)

    def history_view(self, request, object_id, extra_context=None):
        if not valid_value(self.model._meta.pk, unquote(object_id)):
            raise Http404(gettext("No such object."))
        return super().history_view(request, object_id, extra_context)


class ExchangeAdminSite(admin.AdminSite):
    """The default admin site, giving every ModelAdmin registered on it the checks above, with
    a home page that shows, above the list of models, the panels the apps add to it (the
    curators' desk; Wagtail calls them its dashboard's panels)."""

    # The list of every model beside each page cost the lists their columns at 1280 px; the
    # home page and the breadcrumbs lead everywhere.
    enable_nav_sidebar = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_panels = []

    def add_index_panel(self, panel):
        """`panel(request)` gives the HTML of a panel of the home page (safe, as render_to_string
        gives it), or None for no panel."""
        self.index_panels.append(panel)
        return panel

    def index(self, request, extra_context=None):
        panels = [html for html in (panel(request) for panel in self.index_panels) if html]
        return super().index(request, {"index_panels": panels, **(extra_context or {})})

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeModelAdminMixin):
            admin_class = type(admin_class.__name__, (SafeModelAdminMixin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)


class ExchangeAdminConfig(AdminConfig):
    default_site = "core.admin_site.ExchangeAdminSite"
