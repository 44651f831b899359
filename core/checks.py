"""Deployment checks (`manage.py check --deploy`): production needs a cache every worker shares.

The content version that invalidates cached pages and counts (core.caching), and the save
rate limit, live in the default cache. A cache kept in each process's memory would let every
other worker go on serving what was archived, and count each person's saves once per worker.
"""

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connections, router
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _


def shared_cache_aliases():
    """The caches whose contents every worker must see: the default, and the rate limit's."""
    aliases = {"default", getattr(settings, "RATELIMIT_USE_CACHE", "default")}
    return sorted(alias for alias in aliases if alias in settings.CACHES)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in shared_cache_aliases():
        backend = caches[alias]
        name = settings.CACHES[alias]["BACKEND"]
        if isinstance(backend, (LocMemCache, DummyCache)):
            problems.append(
                checks.Error(
                    _(
                        "The %(alias)s cache (%(backend)s) is kept by each process: a change "
                        "reaches only the worker that made it, and rate limits count per "
                        "worker."
                    )
                    % {"alias": alias, "backend": name},
                    hint=_(
                        "Set REDIS_URL, or use the database cache "
                        "(django.core.cache.backends.db.DatabaseCache), as the production "
                        "settings do when REDIS_URL is unset."
                    ),
                    obj=alias,
                    id="core.E001",
                )
            )
        elif isinstance(backend, FileBasedCache):
            problems.append(
                checks.Warning(
                    _(
                        "The %(alias)s cache (%(backend)s) is shared by the workers of one "
                        "machine only, not across app servers."
                    )
                    % {"alias": alias, "backend": name},
                    hint=_("Set REDIS_URL, or use the database cache."),
                    obj=alias,
                    id="core.W001",
                )
            )
        elif isinstance(backend, BaseDatabaseCache):
            problems.extend(check_cache_table(alias, backend))
    return problems


def check_cache_table(alias, backend):
    """The database cache's table exists, once the database has been migrated.

    A database that cannot be reached, or has not been migrated yet, is not a problem here:
    `migrate` creates the table (core.caching.create_cache_tables).
    """
    database = router.db_for_write(backend.cache_model_class)
    connection = connections[database]
    try:
        tables = connection.introspection.table_names()
    except DatabaseError:
        return []
    if MigrationRecorder.Migration._meta.db_table not in tables or backend._table in tables:
        return []
    return [
        checks.Error(
            _(
                "The %(alias)s cache is kept in the table %(table)s, which the database "
                "%(database)s does not have: every page would fail."
            )
            % {"alias": alias, "table": backend._table, "database": database},
            hint=_("Run manage.py migrate (it creates the table) or manage.py createcachetable."),
            obj=alias,
            id="core.E002",
        )
    ]
