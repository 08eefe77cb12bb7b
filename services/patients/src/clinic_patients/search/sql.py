"""The SQL statements search runs, built once per shape and reused with new parameters.

A search has a handful of shapes (how many combos, how many words, whether status is
filtered) while its values change with every keystroke. Building SQLAlchemy statements per
request cost milliseconds (construction and cache keys); a statement object built once per
shape and executed with bound parameters costs almost nothing. Each builder therefore takes
only the shape, and a companion function turns the values into the parameters it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)

from clinic_patients.models import Patient, name_trigrams, search_terms
from clinic_patients.search.plan import Combo, Spec

Params = dict[str, Any]
patients = Patient.__table__
t = search_terms


def _int(name: str) -> Any:
    return bindparam(name, type_=Integer)


def _active_filter(filter_active: bool) -> list[ColumnElement[bool]]:
    return [t.c.active == bindparam("active")] if filter_active else []


@lru_cache(maxsize=1)
def vocabulary() -> Select[Any]:
    """Words of a length band sharing at least ``need`` of the ``grams`` trigrams."""
    v = name_trigrams
    return (
        select(v.c.word, func.count().label("shared"))
        .where(
            v.c.trigram.in_(bindparam("grams", expanding=True)),
            v.c.word_length.between(_int("shortest"), _int("longest")),
        )
        .group_by(v.c.word)
        .having(func.count() >= _int("need"))
    )


@lru_cache(maxsize=64)
def posting_counts(specs: int, filter_active: bool) -> Select[Any]:
    """Index rows of each of ``specs`` postings, counted up to ``cap``."""
    counters = []
    for i in range(specs):
        rows = select(literal(1)).where(
            t.c.term == bindparam(f"term_{i}"),
            t.c.whole_word == bindparam(f"whole_{i}"),
            *_active_filter(filter_active),
        )
        bounded = rows.limit(_int("cap")).subquery()
        counters.append(select(func.count()).select_from(bounded).scalar_subquery())
    return select(*counters)


def posting_counts_params(specs: Sequence[Spec], cap: int, active: bool | None) -> Params:
    """Parameters of ``posting_counts``."""
    params: Params = {"cap": cap, "active": active}
    for i, spec in enumerate(specs):
        params |= {f"term_{i}": spec.term, f"whole_{i}": spec.whole_word}
    return params


@lru_cache(maxsize=256)
def combo_union(likes_per_stream: tuple[int, ...], filter_active: bool) -> CompoundSelect[Any]:
    """One ordered, limited read per combo: a driver posting, then LIKE tests on its name key.

    Columns: patient_id, name_key, rank.
    """
    streams = []
    for i, likes in enumerate(likes_per_stream):
        stream = (
            select(t.c.patient_id, t.c.name_key, _int(f"rank_{i}").label("rank"))
            .where(
                t.c.term == bindparam(f"term_{i}"),
                t.c.whole_word == bindparam(f"whole_{i}"),
                *(t.c.name_key.like(bindparam(f"like_{i}_{j}")) for j in range(likes)),
                *_active_filter(filter_active),
            )
            .order_by(t.c.name_key, t.c.patient_id)
            .limit(_int("limit"))
        )
        streams.append(select(stream.subquery()))
    return union_all(*streams)


def combo_union_params(
    streams: Sequence[tuple[int, Combo, int]], active: bool | None, limit: int
) -> Params:
    """Parameters of ``combo_union`` for (rank, combo, driver index) streams."""
    params: Params = {"limit": limit, "active": active}
    for i, (rank, combo, driver) in enumerate(streams):
        params |= {
            f"rank_{i}": rank,
            f"term_{i}": combo[driver].term,
            f"whole_{i}": combo[driver].whole_word,
        }
        others = [spec for index, spec in enumerate(combo) if index != driver]
        params |= {f"like_{i}_{j}": spec.like for j, spec in enumerate(others)}
    return params


@lru_cache(maxsize=256)
def scored(driver_specs: int, specs_per_word: tuple[int, ...], filter_active: bool) -> Select[Any]:
    """The driver word's patients costed by each word's cheapest match, first ``limit``.

    Columns: patient_id, name_key, cost; ordered by cost, then name.
    """
    # CASE takes the first true branch and specs are sorted best first: the cheapest match.
    costs = [
        case(
            *(
                (t.c.name_key.like(bindparam(f"like_{w}_{s}")), _int(f"cost_{w}_{s}"))
                for s in range(count)
            )
        ).label(f"cost_{w}")
        for w, count in enumerate(specs_per_word)
    ]
    driver = or_(
        *(
            and_(t.c.term == bindparam(f"term_{s}"), t.c.whole_word == bindparam(f"whole_{s}"))
            for s in range(driver_specs)
        )
    )
    rows = select(t.c.patient_id, t.c.name_key, *costs).where(
        driver, *_active_filter(filter_active)
    )
    inner = rows.subquery()
    word_costs = [inner.c[f"cost_{w}"] for w in range(len(specs_per_word))]
    total = sum(word_costs[1:], word_costs[0]).label("cost")
    # DISTINCT: a patient can have several of the driver word's typo matches.
    return (
        select(inner.c.patient_id, inner.c.name_key, total)
        .distinct()
        .where(*(cost.is_not(None) for cost in word_costs))
        .order_by(total, inner.c.name_key, inner.c.patient_id)
        .limit(_int("limit"))
    )


def scored_params(
    words: Sequence[Sequence[Spec]], driver: int, active: bool | None, limit: int
) -> Params:
    """Parameters of ``scored``."""
    params: Params = {"limit": limit, "active": active}
    for s, spec in enumerate(words[driver]):
        params |= {f"term_{s}": spec.term, f"whole_{s}": spec.whole_word}
    for w, specs in enumerate(words):
        for s, spec in enumerate(specs):
            params |= {f"like_{w}_{s}": spec.like, f"cost_{w}_{s}": spec.cost}
    return params


@lru_cache(maxsize=16)
def identifiers(tax_id: bool, phone: bool, email: bool, filter_status: bool) -> Select[Any]:
    """Patients whose tax id, phone digits or email start with the given prefixes."""
    c = patients.c
    columns = {"tax_id": (tax_id, c.tax_id), "phone": (phone, c.phone_digits)}
    columns["email"] = (email, c.email)
    # Ranges rather than LIKE: they use the indexes on both databases and need no escaping.
    conditions = [
        and_(column >= bindparam(f"{name}_from"), column < bindparam(f"{name}_to"))
        for name, (wanted, column) in columns.items()
        if wanted
    ]
    query = select(c.id, c.name_key).where(or_(*conditions))
    if filter_status:
        query = query.where(c.status == bindparam("status"))
    return query.order_by(c.name_key, c.id).limit(_int("limit"))


_LAST_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def _next_code_point(code: int) -> int:
    # Surrogates are no characters: UTF-8 (and so MariaDB) cannot hold them. U+D7FF → U+E000.
    following = code + 1
    return _SURROGATES.stop if following in _SURROGATES else following


def prefix_successor(prefix: str) -> str:
    """The least string greater than every string starting with ``prefix`` (code point order).

    Trailing U+10FFFF (the last code point) carry over to the character before them; a prefix
    made only of them has no successor among real strings, so the bound is the prefix followed
    by U+10FFFF, which still holds every real identifier that starts with it.
    """
    kept = prefix.rstrip(chr(_LAST_CODE_POINT))
    if not kept:
        return prefix + chr(_LAST_CODE_POINT)
    return kept[:-1] + chr(_next_code_point(ord(kept[-1])))


def prefix_range(name: str, prefix: str) -> Params:
    """Parameters bounding the strings that start with ``prefix``."""
    return {f"{name}_from": prefix, f"{name}_to": prefix_successor(prefix)}
