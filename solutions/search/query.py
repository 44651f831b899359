"""Reading a search as people type it: words, "quoted phrases", `or`, and -exclusions.

What comes out is bounded whatever comes in, so no search can make a database's query
parser or expression tree overflow: only the first MAX_QUERY_LENGTH characters are read,
giving at most MAX_WORDS terms in all (alternatives and exclusions included), each word cut
to MAX_WORD_LENGTH characters; a term without a letter or a digit (a run of operator
characters) is left out.
"""

import re
from dataclasses import dataclass, field

from core.text import clean_text

MAX_WORDS = 12
MAX_WORD_LENGTH = 60
MAX_QUERY_LENGTH = 300
QUOTES_AND_OPERATORS = "\"'“”‘’«»„+|()[]{}<>"
TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
# PostgreSQL's English configuration leaves these out of documents and queries (Snowball's
# list); a single-word term among them is left out on SQLite and in snippets too, so both
# databases answer alike.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()
)
# A letter or a digit in any script: what a term needs to be searched for at all.
WORD_CHARACTER = re.compile(r"[^\W_]")


def search_words(text, limit=MAX_WORDS):
    """The distinct words of a query, quotes and operator characters trimmed, at most `limit`."""
    words = []
    for raw in re.split(r"\s+", clean_text(text)[:MAX_QUERY_LENGTH]):
        word = raw.strip(QUOTES_AND_OPERATORS + ".,;:!?")
        if word.startswith("-") and len(word) > 1:
            word = word.lstrip("-")
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word[:MAX_WORD_LENGTH])
    return words[:limit]


@dataclass
class ParsedQuery:
    """AND of `clauses` (each an OR of terms; a term may be a phrase), NOT any of `excluded`."""

    clauses: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def terms(self):
        return [term for clause in self.clauses for term in clause]

    @property
    def size(self):
        """How many terms there are, excluded ones included."""
        return len(self.terms) + len(self.excluded)


def parse_query(text):
    parsed = ParsedQuery()
    join_next = False
    for match in TOKEN.finditer(clean_text(text)[:MAX_QUERY_LENGTH]):
        if parsed.size >= MAX_WORDS:
            break
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            join_next = bool(parsed.clauses)
            continue
        if word is not None:
            negative = "-" if word.startswith("-") and len(word) > 1 else ""
            words = search_words(word)
            term = words[0] if words else ""
        else:
            term = " ".join(phrase.split())
        if not WORD_CHARACTER.search(term):
            continue
        if negative:
            parsed.excluded.append(term)
        elif join_next:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        join_next = False
    return parsed


def suggestion_words(text):
    """The single words of a query long enough to be checked for spelling."""
    return [term for term in parse_query(text).terms if " " not in term and len(term) >= 3]
