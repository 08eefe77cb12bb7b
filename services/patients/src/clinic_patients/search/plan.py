"""What the search box's text asks for, and how matches rank (pure: no database here).

Text with a digit or an '@' looks for an identifier (tax id, phone or email prefix); other
text looks for names: each folded word must match a word of the patient's name, in any
order, as a whole word or as its prefix — or, with ``fuzzy``, within one or two edits.

Ranking is by cost, then by surname and first name. A word costs 0 as a whole word,
``COST_PREFIX`` as a prefix only and ``COST_PER_EDIT`` per edit as a typo, and a patient's
cost is the sum over the query words of their cheapest match.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clinic_patients import normalize
from clinic_patients.search.fuzzy import (
    could_be_within,
    edit_distance,
    letter_counts,
    letters_apart,
    max_edits,
)
from clinic_shared.errors import FieldError

COST_PREFIX = 1
COST_PER_EDIT = 100
MAX_WORDS = 8
MAX_TYPO_WORDS = 20
MIN_IDENTIFIER_LENGTH = 3


@dataclass(frozen=True, order=True)
class Spec:
    """One way a query word can match: a posting of the index and what such a match costs."""

    cost: int
    term: str
    whole_word: bool

    @property
    def like(self) -> str:
        """The LIKE pattern testing this match against a patient's name key."""
        return f"% {self.term} %" if self.whole_word else f"% {self.term}%"


@dataclass(frozen=True)
class NameQuery:
    """Distinct folded words that must all match a patient's name words."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class IdentifierQuery:
    """Prefixes to look for in the tax id, phone and email columns (None: not this one)."""

    tax_id: str | None
    phone: str | None
    email: str | None


Combo = tuple[Spec, ...]


def parse(text: str) -> NameQuery | IdentifierQuery | None:
    """The query in ``text``; None when it holds nothing searchable."""
    text = text.strip()
    if any(char.isdigit() for char in text) or "@" in text:
        return _identifier_query(text)
    words = tuple(dict.fromkeys(normalize.tokens(text)))
    if not words:
        return None
    if len(words) > MAX_WORDS:
        raise FieldError("search", f"can hold at most {MAX_WORDS} words")
    return NameQuery(words)


def _identifier_query(text: str) -> IdentifierQuery | None:
    tax_id = normalize.normalize_tax_id(text)
    phone = normalize.phone_digits(text) if normalize.phone_problem(text) is None else ""
    email = text.lower()
    query = IdentifierQuery(
        tax_id=tax_id if tax_id.isalnum() and len(tax_id) >= MIN_IDENTIFIER_LENGTH else None,
        phone=phone if len(phone) >= MIN_IDENTIFIER_LENGTH else None,
        email=email if len(email) >= MIN_IDENTIFIER_LENGTH and " " not in email else None,
    )
    return query if query.tax_id or query.phone or query.email else None


def exact_specs(word: str) -> list[Spec]:
    """A word as a whole word of the name, else as the start of one."""
    return [Spec(0, word, True), Spec(COST_PREFIX, word, False)]


def typo_specs(word: str, vocabulary: Iterable[tuple[str, int]]) -> list[Spec]:
    """Name words within the tolerated edits of ``word`` (ones it already matches excluded).

    ``vocabulary`` pairs candidate words with how many trigrams they share with ``word``.
    """
    limit = max_edits(word)
    counts = letter_counts(word)
    specs = []
    for candidate, shared in vocabulary:
        if candidate.startswith(word) or not could_be_within(shared, word, candidate, limit):
            continue
        if letters_apart(word, counts, candidate) > limit:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            specs.append(Spec(distance * COST_PER_EDIT, candidate, True))
    return sorted(specs)[:MAX_TYPO_WORDS]


def combo_count(words: Sequence[Sequence[Spec]]) -> int:
    """How many ways the words can match together."""
    return math.prod(len(specs) for specs in words)


def combos(words: Sequence[Sequence[Spec]]) -> list[Combo]:
    """Every choice of one match per word, cheapest total first."""
    return sorted(itertools.product(*words), key=lambda combo: (combo_cost(combo), combo))


def combo_cost(combo: Combo) -> int:
    """The rank cost of patients matching exactly this combination."""
    return sum(spec.cost for spec in combo)
