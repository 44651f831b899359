"""Finding case studies that plainly fit a theme they do not carry.

Each theme has keywords (a curator's list of words and phrases, `Theme.keywords`). A case study
strongly matches a theme when its keywords appear in its title or summary, or several times in
its sections: `STRONG` points or more, counting each occurrence by where it is (`WEIGHTS`), any
form of the words (`snippets.word_stems`). The full-text index picks the candidates, so the check
reads only case studies that use at least one keyword.
"""

from collections import Counter
from dataclasses import dataclass

from solutions.models import Solution, Theme
from solutions.search import MAX_WORDS, search
from solutions.search.snippets import phrase_stems, plain, word_stems

WEIGHTS = {
    "title": 3,
    "summary": 2,
    "problem": 1,
    "approach": 1,
    "results": 1,
    "lessons_learned": 1,
}
STRONG = 6


@dataclass(frozen=True)
class MissingTheme:
    solution: Solution
    theme: Theme
    score: int
    words: tuple  # (keyword, how often it occurs), most frequent first


def keywords(theme):
    """The theme's keywords: one per line or separated by commas."""
    return [k.strip() for k in theme.keywords.replace(",", "\n").splitlines() if k.strip()]


def missing_themes(solutions=None, themes=None):
    """Each case study of `solutions` (default: the published ones) that strongly matches a
    theme of `themes` (default: all) it does not carry, strongest first within each theme."""
    solutions = Solution.objects.published() if solutions is None else solutions
    themes = Theme.objects.exclude(keywords="") if themes is None else themes
    found = []
    for theme in themes:
        phrases = {k: phrase_stems(k) for k in keywords(theme)}
        phrases = {k: stems for k, stems in phrases.items() if stems}
        if not phrases:
            continue
        lacking = solutions.exclude(themes=theme)
        candidates = set()
        names = list(phrases)
        for start in range(0, len(names), MAX_WORDS):
            query = " or ".join(f'"{k}"' for k in names[start : start + MAX_WORDS])
            candidates |= set(search(lacking, query).values_list("pk", flat=True))
        matches = []
        for solution in lacking.filter(pk__in=candidates).select_related("city"):
            score, counts = _score(solution, phrases)
            if score >= STRONG:
                matches.append(MissingTheme(solution, theme, score, tuple(counts.most_common())))
        found += sorted(matches, key=lambda m: (-m.score, m.solution.title))
    return found


def _score(solution, phrases):
    score, counts = 0, Counter()
    for field, weight in WEIGHTS.items():
        stems = [stem for stem, _, _ in word_stems(plain(getattr(solution, field) or ""))]
        for keyword, wanted in phrases.items():
            n = len(wanted)
            hits = sum(1 for i in range(len(stems) - n + 1) if tuple(stems[i : i + n]) == wanted)
            score += hits * weight
            counts[keyword] += hits
    return score, +counts
