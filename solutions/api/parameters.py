"""The query parameters of a list endpoint, as the OpenAPI schema states them, read from the
filter set the endpoint uses (the same one as the HTML list), so the two cannot drift."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


def _static_choices(a_filter):
    """The filter's own choices; none for those that change with the content (cities, tags)."""
    choices = a_filter.extra.get("choices")
    if choices is None or callable(choices):
        return None
    return [str(value) for value, _label in choices]


def filter_parameters(filterset_class, *, sort=None):
    parameters = []
    for name, a_filter in filterset_class.base_filters.items():
        description = str(a_filter.label or name)
        if isinstance(a_filter, django_filters.NumberFilter):
            kind = OpenApiTypes.INT
        else:
            kind = OpenApiTypes.STR
        choices = _static_choices(a_filter) if name in filterset_class.MULTIPLE else None
        if name in filterset_class.MULTIPLE:
            description += ". Repeat the parameter for several values: any of them matches."
            parameters.append(
                OpenApiParameter(
                    name,
                    {"type": "array", "items": {"type": "string", **_enum(choices)}},
                    description=description,
                    explode=True,
                    style="form",
                )
            )
        else:
            parameters.append(OpenApiParameter(name, kind, description=description))
    if sort is not None:
        parameters.append(
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=[value for value, _label in sort.choices],
                description="The order of the results.",
            )
        )
    return parameters


def _enum(choices):
    return {"enum": choices} if choices else {}
