"""Who someone is to a solution: a curator, or its submitter (author or network staff)."""

from networks.models import NetworkStaff

REVIEW_PERMISSION = "solutions.review_solution"


def is_active_user(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


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


def can_submit_for(user, network):
    return network.pk in staff_network_ids(user)


def can_create(user):
    """Only a user who works for a network may write case studies on the public site."""
    return bool(staff_network_ids(user))


def is_submitter(user, solution):
    """The solution's author, or staff of the network it belongs to."""
    if not is_active_user(user):
        return False
    return solution.author_id == user.pk or solution.network_id in staff_network_ids(user)


def can_preview(user, solution):
    return solution.is_public or is_curator(user) or is_submitter(user, solution)


def can_edit(user, solution):
    """Curators edit anything; submitters only while it is a draft or sent back to them."""
    if is_curator(user):
        return True
    return is_submitter(user, solution) and solution.is_editable_by_submitter
