"""Autocomplete in admin inlines without one query per row.

Django's autocomplete widget looks up the label of its selected object with a query of its
own, so an inline with N rows and two autocomplete fields costs 2N queries even when the
inline's queryset already used select_related. These pieces reuse the cached object instead.
Every app's admin uses them.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect


class CachedObjectAutocompleteSelect(AutocompleteSelect):
    selected_object = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        obj = self.selected_object
        if obj is None or chosen != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class CachedObjectInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, CachedObjectAutocompleteSelect):
                model_field = self.instance._meta.get_field(name)
                widget.selected_object = model_field.get_cached_value(self.instance, default=None)


class CachedAutocompleteInlineMixin:
    """For an inline whose get_queryset select_related()s its autocomplete foreign keys."""

    form = CachedObjectInlineForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CachedObjectAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
