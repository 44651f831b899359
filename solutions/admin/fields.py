"""Form fields of the case study's admin page that read better than the models' defaults."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solutions.forms import MAX_TAG_LENGTH, MAX_TAGS

SEPARATORS = re.compile(r"[\n,]")


def tag_names(tags):
    return [tag.name for tag in tags]


class TagListWidget(forms.Textarea):
    """One tag per line, as written: taggit's own widget shows them as one quoted string."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 6, "cols": 40, **(attrs or {})})

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = "\n".join(tag_names(value))  # the tags of the saved case study
        return super().format_value(value)


class TagListField(forms.CharField):
    """Tags, one per line (commas also separate them), with the limits of the site's form."""

    widget = TagListWidget
    default_error_messages = {
        "too_long": _("A tag can be at most %(limit)s characters; “%(start)s…” is longer."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("One tag per line."))
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        names = []
        for part in SEPARATORS.split(super().to_python(value) or ""):
            name = part.strip().strip('"').strip()
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        if any("\x00" in name for name in value):
            raise ValidationError(_("Tags cannot contain null characters."), code="null")
        if len(value) > MAX_TAGS:
            raise ValidationError(
                ngettext("Give at most %(limit)s tag.", "Give at most %(limit)s tags.", MAX_TAGS)
                % {"limit": MAX_TAGS},
                code="too_many",
            )
        too_long = [name for name in value if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={"limit": MAX_TAG_LENGTH, "start": too_long[0][:40]},
            )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before = sorted(tag_names(initial or []))
        return before != sorted(self.to_python(data))
