"""Who someone is to a solution: a curator, or its submitter (author or network staff).

Every rule about who may see, edit or move a case study is defined here once.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from networks.models import NetworkStaff
from solutions.models import Solution
from solutions.models.solution import published_q

REVIEW_PERMISSION = "solutions.review_solution"


def is_active_user(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def curators():
    """Every active user who may review (`is_curator`, as a query)."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    has_permission = (
        Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(user_permissions__codename=codename)
        | Q(is_superuser=True)
    )
    return get_user_model().objects.filter(has_permission, is_active=True).distinct()


def is_curator(user):
    """Curators (and superusers) review, publish and archive, and edit anything."""
    return is_active_user(user) and user.has_perm(REVIEW_PERMISSION)


def staff_network_ids(user):
    """The networks this user works for (read once per user object)."""
    if not is_active_user(user):
        return frozenset()
    if not hasattr(user, "_staff_network_ids"):
        user._staff_network_ids = frozenset(
            NetworkStaff.objects.filter(user=user).values_list("network_id", flat=True)
        )
    return user._staff_network_ids


def can_create(user):
    """Only a user who works for a network may write case studies on the public site."""
    return bool(staff_network_ids(user))


def is_submitter(user, solution):
    """The solution's author, or staff of the network it belongs to."""
    if not is_active_user(user):
        return False
    return solution.author_id == user.pk or solution.network_id in staff_network_ids(user)


def submitter_q(user):
    """`is_submitter` as a query condition: the user's own, or their networks' (for an active
    user; see `submitted_by`)."""
    return Q(author=user) | Q(network__in=staff_network_ids(user))


def submitted_by(user):
    """The solutions this user is a submitter of."""
    if not is_active_user(user):
        return Solution.objects.none()
    return Solution.objects.filter(submitter_q(user))


def visible_solutions(user):
    """Published solutions, plus those this person may preview: curators see everything,
    submitters their own at every status."""
    if is_curator(user):
        return Solution.objects.all()
    visible = published_q()
    if is_active_user(user):
        visible |= submitter_q(user)
    return Solution.objects.filter(visible)


def can_edit_on_site(user, solution):
    """The site's submission form is for submitters, while it is a draft or sent back."""
    return is_submitter(user, solution) and solution.is_editable_by_submitter


def can_edit(user, solution):
    """Curators edit anything (in the admin); submitters as on the site."""
    return is_curator(user) or can_edit_on_site(user, solution)
