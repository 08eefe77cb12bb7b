"""Typo tolerance: trigram filters to find candidate words, and a real edit distance to judge.

Candidates come from the trigram table (a word within ``k`` edits of another shares most of
its trigrams), then the optimal-string-alignment distance (Levenshtein plus adjacent
transpositions, so 'gonzalze' is one edit from 'gonzalez') decides.
"""

from __future__ import annotations

# Words this short match only exactly or as a prefix: one edit would make 'ana' match 'ara'.
MIN_FUZZY_LENGTH = 4
TWO_EDITS_FROM_LENGTH = 8
# One edit touches at most three trigrams, a transposition four.
_TRIGRAMS_PER_EDIT = 4


def max_edits(word: str) -> int:
    """Edits tolerated in a query word: 0 below 4 letters, 1 up to 7, 2 from 8."""
    if len(word) < MIN_FUZZY_LENGTH:
        return 0
    return 1 if len(word) < TWO_EDITS_FROM_LENGTH else 2


def trigrams(word: str) -> set[str]:
    """The padded trigrams of a folded word ('ana' -> {'  a', ' an', 'ana', 'na '})."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def could_be_within(shared: int, word: str, candidate: str, edits: int) -> bool:
    """The q-gram bound, both ways: each string keeps all but ``4 * edits`` of its trigrams."""
    most = max(len(trigrams(word)), len(trigrams(candidate)))
    return shared >= most - _TRIGRAMS_PER_EDIT * edits


def letter_counts(word: str) -> dict[str, int]:
    """How often each letter occurs in ``word`` (for ``letters_apart``)."""
    counts: dict[str, int] = {}
    for char in word:
        counts[char] = counts.get(char, 0) + 1
    return counts


def letters_apart(word: str, counts: dict[str, int], candidate: str) -> int:
    """A cheap lower bound of the edit distance: letters one word has and the other lacks.

    ``counts`` is ``letter_counts(word)``, computed once per query word.
    """
    remaining = dict(counts)
    unmatched = 0
    for char in candidate:
        left = remaining.get(char, 0)
        if left:
            remaining[char] = left - 1
        else:
            unmatched += 1
    shared = len(candidate) - unmatched
    return max(unmatched, len(word) - shared)


def min_shared_trigrams(word: str, edits: int) -> int:
    """How many trigrams a word within ``edits`` of ``word`` must share with it (at least 1)."""
    return max(1, len(trigrams(word)) - _TRIGRAMS_PER_EDIT * edits)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` once above it.

    Only the diagonal band ``|i - j| <= limit`` is computed: cells outside it exceed the limit.
    """
    too_far = limit + 1
    if abs(len(a) - len(b)) > limit:
        return too_far
    if a == b:
        return 0
    before_previous: list[int] = []
    previous = [j if j <= limit else too_far for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [too_far] * (len(b) + 1)
        current[0] = i if i <= limit else too_far
        low, high = max(1, i - limit), min(len(b), i + limit)
        char_a = a[i - 1]
        for j in range(low, high + 1):
            char_b = b[j - 1]
            best = previous[j - 1] + (char_a != char_b)
            best = min(best, previous[j] + 1, current[j - 1] + 1)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, before_previous[j - 2] + 1)
            current[j] = min(best, too_far)
        if min(current[low - 1 : high + 1]) >= too_far:
            return too_far
        before_previous, previous = previous, current
    return previous[-1]
