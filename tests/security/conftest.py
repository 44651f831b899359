import pytest
from django.template.base import Template
from django.test.utils import _TestState


@pytest.fixture
def templates_render_as_in_production(monkeypatch):
    """Templates render without the test environment's instrumentation, as in production.

    For `response.context` and `assertTemplateUsed`, Django's test environment makes every
    template render send a signal, on which the test client keeps a copy of the context of
    every template rendered: every form widget is a template, so a page of 2,000 forms keeps
    12,000 copies. Tests that read neither do not need it: that page then takes about a third
    less time (most pages render few templates and gain little). Nothing of the rendering
    itself changes: every template and tag still runs.
    """
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
