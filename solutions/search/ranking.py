"""A search's matches in order of relevance, without ranking every match.

Ranking reads each match's whole search document: for a word that half the case studies
contain, that is every document, on every search. So only the newest CANDIDATES matches are
ranked (best first), and the older matches follow, newest first. Those are exactly the
matches from position CANDIDATES on in newest-first order, so any page is one of two cheap
queries (or both, at the seam): the candidates ranked, or the matches by date, offset.
A search with fewer matches than CANDIDATES is ranked in full.
"""

import itertools

from core.caching import cached

CANDIDATES = 1000


class RelevanceOrdered:
    """Sliced, counted and iterated like a QuerySet (what Paginator and the exports use);
    QuerySet methods that do not change the order (select_related, only, ...) apply to both
    parts."""

    ordered = True

    def __init__(self, candidates, newest):
        self.candidates = candidates  # the newest CANDIDATES matches, ranked
        self.newest = newest  # every match, newest first

    def __getattr__(self, name):
        if name.startswith("_") or name in {"candidates", "newest"}:
            raise AttributeError(name)
        candidates_method = getattr(self.candidates, name)
        newest_method = getattr(self.newest, name)

        def both(*args, **kwargs):
            return RelevanceOrdered(
                candidates_method(*args, **kwargs), newest_method(*args, **kwargs)
            )

        return both

    def ranked_ids(self):
        """The candidates' ids, best first. Ranking reads every candidate's search document,
        so the order is kept until the content changes: the next page, or the next reader of
        the same search, reads only its own rows."""
        return cached(
            "ranked-ids",
            lambda: list(self.candidates.values_list("pk", flat=True)),
            str(self.candidates.query),
        )

    def count(self):
        return self.newest.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("RelevanceOrdered supports plain slices only.")
        start = key.start or 0
        stop = key.stop
        rows = []
        if start < CANDIDATES:
            ids = self.ranked_ids()[start : CANDIDATES if stop is None else min(stop, CANDIDATES)]
            # The rows by id (and still matching, should one have changed since): no ranking.
            by_id = {row.pk: row for row in self.newest.filter(pk__in=ids)}
            rows += [by_id[pk] for pk in ids if pk in by_id]
        if stop is None or stop > CANDIDATES:
            rows += list(self.newest[max(start, CANDIDATES) : stop])
        return rows

    def iterator(self, chunk_size=None):
        older = self.newest[CANDIDATES:]
        return itertools.chain(
            self.candidates.iterator(chunk_size=chunk_size),
            older.iterator(chunk_size=chunk_size),
        )

    def __iter__(self):
        return iter(self[0:None])

    @property
    def query(self):
        return self.newest.query
