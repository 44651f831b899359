"""Every problem of a form and its formsets, in page order, each with a link to its field: the
error summary at the top of a long form (the GOV.UK pattern), so that nobody has to scroll
through the page looking for what to fix."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ErrorLink:
    target: str  # the id of the field (or the fieldset) to go to; "" for the form as a whole
    label: str  # where the problem is, as the page names it
    message: str


def error_summary(form, formsets=()):
    """The errors of `form` in its fields' order, then those of each formset of `formsets`
    (pairs of a formset and what one of its rows is called, e.g. "Partner")."""
    links = [ErrorLink("", "", str(message)) for message in form.non_field_errors()]
    links += _field_errors(form, prefix="")
    for formset, item in formsets:
        links += [
            ErrorLink(formset.prefix, "", str(message)) for message in formset.non_form_errors()
        ]
        for number, subform in enumerate(formset.forms, start=1):
            row = _("%(item)s %(number)d") % {"item": item, "number": number}
            links += [
                ErrorLink(formset.prefix, row, str(message))
                for message in subform.non_field_errors()
            ]
            links += _field_errors(subform, prefix=row)
    return links


def _field_errors(form, *, prefix):
    links = []
    for name, field in form.fields.items():
        bound = form[name]
        if not bound.errors:
            continue
        if field.widget.is_hidden:  # nothing to go to: said for the form (or the row)
            links += [ErrorLink("", prefix, str(message)) for message in bound.errors]
            continue
        label = f"{prefix}: {bound.label}" if prefix else str(bound.label)
        links += [ErrorLink(bound.auto_id, label, str(message)) for message in bound.errors]
    return links
