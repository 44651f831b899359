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
