"""No lost edit through a case study's rows: a partner, an indicator or its measurements saved on
their own admin pages move the case study's edit token and keep a version of it, and a page
opened before someone else's change refuses to overwrite it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from solutions.models import Measurement, Partner
from tests.support.factories import (
    make_indicator,
    make_partner,
    make_solution,
    make_transfer,
    make_user,
)
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db
CONFLICT = "Someone else saved this case study after you opened it"


def curator():
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(user)
    return client


def url(row, action="change"):
    return reverse(f"admin:solutions_{row._meta.model_name}_{action}", args=[row.pk])


@pytest.fixture
def case_study(db):
    solution = make_solution(title="Tree planting")
    partner = make_partner(solution, name="Tree Trust", sector="nonprofit")
    indicator = make_indicator(solution, name="Trees planted", measurements=[(2020, 100)])
    return solution, partner, indicator


def test_a_partner_saved_on_its_page_is_not_overwritten_by_a_case_study_form_opened_before(
    case_study,
):
    solution, partner, _indicator = case_study
    ana, ben = curator(), curator()
    ana_form = form_data(ana.get(reverse("admin:solutions_solution_change", args=[solution.pk])))
    ben_form = form_data(ben.get(url(partner)), value="partner_form")

    saved = ben.post(url(partner), {**ben_form, "name": "Tree Trust Kenya"})
    assert saved.status_code == 302
    refused = ana.post(
        reverse("admin:solutions_solution_change", args=[solution.pk]),
        {**ana_form, "summary": "Ana's summary."},
    )

    assert refused.status_code == 200
    assert CONFLICT in refused.text
    assert Partner.objects.get(pk=partner.pk).name == "Tree Trust Kenya"
    versions = Version.objects.get_for_object(solution)
    assert versions.count() == 1
    assert "Changed partner on its own page" in versions.first().revision.comment
    kept = {v.object_repr for v in versions.first().revision.version_set.all()}
    assert "Tree Trust Kenya (Non-profit)" in kept


def test_a_partner_page_opened_before_the_case_study_changed_refuses_to_save(case_study):
    solution, partner, _indicator = case_study
    ana, ben = curator(), curator()
    ben_form = form_data(ben.get(url(partner)), value="partner_form")
    ana_form = form_data(ana.get(reverse("admin:solutions_solution_change", args=[solution.pk])))
    assert (
        ana.post(
            reverse("admin:solutions_solution_change", args=[solution.pk]),
            {**ana_form, "partners-0-name": "Tree Trust International"},
        ).status_code
        == 302
    )

    refused = ben.post(url(partner), {**ben_form, "name": "Tree Trust Kenya"})

    assert refused.status_code == 200
    assert CONFLICT in refused.text
    assert Partner.objects.get(pk=partner.pk).name == "Tree Trust International"


def test_measurements_edited_on_the_indicator_page_move_the_token_and_keep_a_version(case_study):
    solution, _partner, indicator = case_study
    ana, ben = curator(), curator()
    ana_form = form_data(ana.get(reverse("admin:solutions_solution_change", args=[solution.pk])))
    ben_form = form_data(ben.get(url(indicator)), value="indicator_form")

    saved = ben.post(
        url(indicator),
        {**ben_form, "measurements-1-year": "2021", "measurements-1-value": "250"},
    )

    assert saved.status_code == 302
    assert sorted(Measurement.objects.values_list("year", "value")) == [(2020, 100), (2021, 250)]
    version = Version.objects.get_for_object(solution).first()
    assert "Trees planted 2021: 250" in {v.object_repr for v in version.revision.version_set.all()}
    refused = ana.post(
        reverse("admin:solutions_solution_change", args=[solution.pk]),
        {**ana_form, "summary": "Ana's summary."},
    )
    assert CONFLICT in refused.text


def test_deleting_a_partner_on_its_page_keeps_a_version_to_restore_it_from(case_study):
    solution, partner, _indicator = case_study
    with_partner = Version.objects.get_for_object(solution).count()

    curator().post(url(partner, "delete"), {"post": "yes"})

    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert Version.objects.get_for_object(solution).count() == with_partner + 1


def test_a_transfer_saved_on_its_page_is_not_overwritten_by_the_case_study_form(case_study):
    solution, _partner, _indicator = case_study
    transfer = make_transfer(solution, adaptations="Smaller trees.")
    ana, ben = curator(), curator()
    ana_form = form_data(ana.get(reverse("admin:solutions_solution_change", args=[solution.pk])))
    ben_form = form_data(ben.get(url(transfer)), value="transfer_form")

    saved = ben.post(url(transfer), {**ben_form, "adaptations": "Native species only."})
    assert saved.status_code == 302
    refused = ana.post(
        reverse("admin:solutions_solution_change", args=[solution.pk]),
        {**ana_form, "summary": "Ana's summary."},
    )

    assert CONFLICT in refused.text
    transfer.refresh_from_db()
    assert transfer.adaptations == "Native species only."
