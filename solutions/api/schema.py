"""The OpenAPI description of every operation, as drf-spectacular infers it, plus the answers
any read can get besides its data: 404 (no such item, or a page past the end) and 429 (too
many requests, with Retry-After). Documented so that clients, and schemathesis, expect them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


ERRORS = {
    "404": OpenApiResponse(ErrorSerializer, description="No such item, or no such page."),
    "429": OpenApiResponse(
        ErrorSerializer,
        description="Too many requests from this address: wait the seconds in Retry-After.",
    ),
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, response in ERRORS.items():
            bodies.setdefault(
                code, self._get_response_for_code(response, code, direction=direction)
            )
        return bodies
