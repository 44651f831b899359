"""What a search result shows of its text: the section where the searched words are, cut to a
few lines around them, with every form of each word marked ("flooded" for a search for
"floods"), the same on both databases.

Words are compared as the indexes compare them: accents folded, in lower case, reduced to their
Snowball English stem (PostgreSQL's stemmer; SQLite's Porter stems the same words alike for all
but a few rare forms). A word written in a script without spaces between words (`BEYOND_LATIN`)
is marked wherever it occurs, as those scripts are searched.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import Stemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from solutions.models import Solution
from solutions.search.query import STOP_WORDS
from solutions.search.sqlite import BEYOND_LATIN

# The text a result can show, in the order a tie between them is settled.
SECTIONS = ["summary", "problem", "approach", "results", "lessons_learned"]
WORDS_SHOWN = 40
# Words shown before the first match, so it is read in its sentence.
LEAD_IN = 8
WORD = re.compile(r"\w+")
MARKDOWN = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.M), ""),  # block marks
    (re.compile(r"(\*\*|__|\*|`|~~)"), ""),  # emphasis and code
]


@cache
def _stemmer():
    return Stemmer.Stemmer("english")


def folded(text):
    """The text in lower case with accents removed, character for character (so a position in
    it is the same position in the text)."""
    if text.isascii():
        return text.lower()
    return "".join(
        (unicodedata.normalize("NFKD", c)[:1].lower()[:1] or c) if not c.isascii() else c.lower()
        for c in text
    )


def word_stems(text):
    """Each word of `text` as (stem, start, end), accents folded."""
    spans = list(WORD.finditer(folded(text)))
    stems = _stemmer().stemWords([span.group(0) for span in spans])
    return [(stem, span.start(), span.end()) for stem, span in zip(stems, spans, strict=True)]


def phrase_stems(phrase):
    """The stems of a phrase's words, in order."""
    return tuple(stem for stem, _, _ in word_stems(phrase))


def plain(text):
    """Markdown as the words a reader sees."""
    for pattern, replacement in MARKDOWN:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Snippet:
    section: str  # the field the text comes from
    label: str  # its name, for "Results: ..."
    html: str


class Matcher:
    """Finds the searched words in a text, in any of their forms."""

    def __init__(self, terms):
        words = {w for term in terms for w in WORD.findall(folded(term))}
        words -= STOP_WORDS
        self.literals = sorted(w for w in words if BEYOND_LATIN.search(w))
        self.stems = set(_stemmer().stemWords(sorted(words - set(self.literals))))
        # Stems differ from their words in the last letter at most ("citi" for "city"): a word
        # that starts like a stem is a candidate, then stemmed to be sure.
        prefixes = sorted({s[:-1] if len(s) > 3 else s for s in self.stems}, key=len, reverse=True)
        # No leading \b: it stops the regex engine from skipping ahead to a candidate's first
        # letters, which made a page of long sections twenty times slower; `matches` checks
        # that a candidate starts a word instead.
        alternatives = [rf"{re.escape(p)}\w*" for p in prefixes]
        alternatives += [re.escape(w) for w in self.literals]
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    def __bool__(self):
        return self.pattern is not None

    def matches(self, text):
        """The (start, end, stem) of each searched word in `text`."""
        if not self.pattern:
            return []
        found = []
        text = folded(text)
        for match in self.pattern.finditer(text):
            word = match.group(0)
            if word in self.literals:  # scripts without spaces: wherever it is
                found.append((match.start(), match.end(), word))
                continue
            if match.start() and text[match.start() - 1].isalnum():
                continue  # inside a word
            stem = _stemmer().stemWord(word)
            if stem in self.stems:
                found.append((match.start(), match.end(), stem))
        return found

    def snippet(self, solution):
        """The part of the solution's text that shows the searched words best: the section
        with the most of them (the summary on a tie), around their first occurrence. Where none
        is in the text (it matched by a theme, a partner, the city ...), the summary's start.

        Sections are searched as written; only the few lines shown are read as plain text
        (Markdown marks taken out), which is what keeps this cheap on a page of long ones."""
        best = None
        for name in SECTIONS:
            text = getattr(solution, name) or ""
            found = self.matches(text)
            score = len({stem for _, _, stem in found})
            if score and (best is None or score > best[0]):
                best = (score, name, text, found)
        if best is None:
            return Snippet("summary", _label("summary"), self._excerpt(solution.summary, []))
        _, name, text, found = best
        return Snippet(name, _label(name), self._excerpt(text, found))

    def _excerpt(self, text, found):
        """WORDS_SHOWN words of `text` from a little before the first match, as plain text,
        the searched words marked."""
        words = list(WORD.finditer(text))
        if not words:
            return mark_safe(escape(plain(text)))
        first = 0
        if found:
            first = next(i for i, w in enumerate(words) if w.end() > found[0][0])
            first = max(0, min(first - LEAD_IN, len(words) - WORDS_SHOWN))
        last = min(len(words), first + WORDS_SHOWN) - 1
        start = 0 if first == 0 else words[first].start()
        end = len(text) if last == len(words) - 1 else words[last].end()
        shown = plain(text[start:end])
        parts = ["…" if start else ""]
        position = 0
        for match_start, match_end, _ in self.matches(shown):
            parts += [escape(shown[position:match_start]), "<mark>"]
            parts += [escape(shown[match_start:match_end]), "</mark>"]
            position = match_end
        parts += [escape(shown[position:]), "…" if end < len(text) else ""]
        return mark_safe("".join(parts))


def _label(name):
    return capfirst(Solution._meta.get_field(name).verbose_name)
