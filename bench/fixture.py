"""What the benchmark needs from its database, printed as one JSON line. Run inside Django:

    manage.py shell -c "from bench.fixture import main; main()"

- the sample pages: the first published solution by id, its city and its network;
- the theme whose published solutions are nearest a tenth of them all (the export of one theme);
- published solutions for the clients to publish again (one each, never the sample);
- a plain user, logged in: a session made in-process, as a login would make it.
"""

import json

READER = "bench-reader"
PUBLISHERS = 8


def main():
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db.models import Count, Q
    from django.utils.module_loading import import_module

    from solutions.models import Solution, Status, Theme

    published = Solution.objects.published()
    sample = published.select_related("city", "network").order_by("pk").first()
    total = published.count()
    themes = Theme.objects.annotate(
        published=Count("solutions", filter=Q(solutions__status=Status.PUBLISHED))
    ).values_list("slug", "published")
    export_theme = min(themes, key=lambda theme: abs(theme[1] - total / 10))
    publish = list(
        published.exclude(pk=sample.pk).order_by("-pk").values_list("pk", flat=True)[:PUBLISHERS]
    )

    user, _ = get_user_model().objects.get_or_create(
        username=READER, defaults={"email": f"{READER}@example.org"}
    )
    user.set_unusable_password()
    user.save()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    print(
        json.dumps(
            {
                "solution": sample.slug,
                "city": sample.city.slug,
                "network": sample.network.slug,
                "published": total,
                "export_theme": export_theme[0],
                "export_theme_rows": export_theme[1],
                "publish": publish,
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "user": READER,
            }
        )
    )
