"""Outcome measures: each instrument scored by its published rules, and an episode's change.

Pure: answers arrive as the JSON list the client sent (ints, ``None`` for a skipped item);
bad input raises ``FieldError`` naming ``instrument``, ``answers`` or ``answers.<i>``
(0-based, like Pydantic's own paths). Scores are ``Decimal`` with one decimal, rounded
half up, computed from exact integer ratios (never floats).

Scoring (with what a missing item does):

* **ODI 2.1a** — Fairbank & Pynsent, *Spine* 2000;25(22):2940–52, and the form's scoring
  notes: 10 sections 0–5; score = total / (5 × answered sections) × 100 %, so one missed
  section divides by 45 (the notes' example: 16/50 → 32 %, 16/45 → "35.5 %", which they
  truncate; we round half up to 35.6). The manual sets no ceiling on missed sections; we
  follow the usual practice and refuse more than 2 (fewer than 8 answered is not an ODI).
* **NDI** — Vernon & Mior, *J Manipulative Physiol Ther* 1991;14(7):409–15; Vernon's scoring
  note: 10 items 0–5 → 0–50 points (× 2 = %); a skipped item is given the average of the
  answered ones, i.e. points = total × 10 / answered and % = total / (5 × answered) × 100
  (each rounded from the exact value). As for the ODI, more than 2 missing are refused.
* **QuickDASH** — Institute for Work & Health, *The QuickDASH Outcome Measure* scoring
  (Beaton et al., *JBJS Am* 2005;87:1038–46): 11 items 1–5; score = (total / n − 1) × 25,
  0–100, n = items answered; at least 10 of 11 must be answered (two missing → 422).
* **PSFS** — Stratford et al., *Physiotherapy Canada* 1995;47:258–63: 1 to 5 activities the
  patient names, each 0 (unable) – 10 (as before); score = total / number of activities.
  No missing ratings: an activity not rated is not sent. Each rating comes with the name of
  its activity (``checked_activities``: one name per rating, 1–100 characters), since a
  rating of "climbing stairs" means nothing once nobody remembers which activity it was; the
  names are health data, stored sealed with the answers. No other instrument takes names.
* **Pain VAS / NPRS** — one rating 0–10; the VAS (a 10 cm line read in mm/10) allows one
  decimal, the NPRS is a whole number.

Minimal clinically important difference (change in the improving direction, ``>=`` reaches):
ODI 10 points, NPRS 2, VAS 15/100 = 1.5/10 (Ostelo et al., *Spine* 2008;33(1):90–4,
international consensus); NDI 7.5 of 50 points (Young et al., *Spine J* 2009;9(10):802–8);
QuickDASH 8.0 (Mintken et al., *J Shoulder Elbow Surg* 2009;18(6):920–6, patients treated
by physiotherapists; other cohorts found 10.8–14); PSFS 2 points on the mean (the PSFS
form's MDC90 for the average score, matching Rysstad et al., *BMC Musculoskelet Disord*
2020;21:328, MIC 1.9–2.0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from clinic_shared.errors import FieldError

TENTH = Decimal("0.1")
ACTIVITY_MAX_LENGTH = 100  # a PSFS activity is a short phrase: "subir escaleras", "run 5 km"


class Direction(StrEnum):
    """Which way a score moves when the patient gets better."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class Instrument:
    """One questionnaire or scale: its items, answer range, rules and MCID."""

    code: str
    name: str
    min_items: int
    max_items: int
    answer_min: int
    answer_max: int
    max_missing: int
    direction: Direction
    score_max: Decimal
    unit: str
    mcid: Decimal
    mcid_source: str
    decimal_answers: bool = False


ODI = Instrument(
    "ODI", "Oswestry Disability Index 2.1a", 10, 10, 0, 5, 2,
    Direction.LOWER_IS_BETTER, Decimal(100), "%", Decimal(10), "Ostelo et al. 2008",
)  # fmt: skip
NDI = Instrument(
    "NDI", "Neck Disability Index", 10, 10, 0, 5, 2,
    Direction.LOWER_IS_BETTER, Decimal(50), "points", Decimal("7.5"), "Young et al. 2009",
)  # fmt: skip
QUICKDASH = Instrument(
    "QuickDASH", "QuickDASH", 11, 11, 1, 5, 1,
    Direction.LOWER_IS_BETTER, Decimal(100), "points", Decimal(8), "Mintken et al. 2009",
)  # fmt: skip
PSFS = Instrument(
    "PSFS", "Patient-Specific Functional Scale", 1, 5, 0, 10, 0,
    Direction.HIGHER_IS_BETTER, Decimal(10), "points", Decimal(2),
    "Stratford et al. 1995 (MDC90); Rysstad et al. 2020",
)  # fmt: skip
VAS = Instrument(
    "VAS", "Pain visual analogue scale", 1, 1, 0, 10, 0,
    Direction.LOWER_IS_BETTER, Decimal(10), "points", Decimal("1.5"), "Ostelo et al. 2008",
    decimal_answers=True,
)  # fmt: skip
NPRS = Instrument(
    "NPRS", "Numeric pain rating scale", 1, 1, 0, 10, 0,
    Direction.LOWER_IS_BETTER, Decimal(10), "points", Decimal(2), "Ostelo et al. 2008",
)  # fmt: skip

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (ODI, NDI, QUICKDASH, PSFS, VAS, NPRS)}


def instrument_for(code: object) -> Instrument:
    """The instrument a request names (case-insensitive), or 422 on ``instrument``."""
    if isinstance(code, str):
        for known in INSTRUMENTS.values():
            if known.code.lower() == code.strip().lower():
                return known
    raise FieldError("instrument", "must be one of " + ", ".join(INSTRUMENTS))


@dataclass(frozen=True)
class MeasureScore:
    """A scored questionnaire: ``score`` is what is charted and compared with the MCID."""

    instrument: str
    score: Decimal
    answered: int
    missing: int
    percent: Decimal | None = None  # ODI and NDI: the 0–100 % form


def score_measure(code: object, answers: object) -> MeasureScore:
    """Check ``answers`` against the instrument named by ``code`` and score them."""
    instrument = instrument_for(code)
    values = _checked_answers(instrument, answers)
    given = [v for v in values if v is not None]
    missing = len(values) - len(given)
    if missing > instrument.max_missing:
        raise FieldError(
            "answers",
            f"{instrument.code} cannot be scored with more than {instrument.max_missing} "
            f"of {len(values)} items unanswered ({missing} are)",
        )
    score, percent = _SCORERS[instrument.code](given)
    return MeasureScore(instrument.code, score, len(given), missing, percent)


def checked_activities(code: object, activities: object, rated: int) -> list[str] | None:
    """The PSFS activity names, one per rating (stripped), or ``None`` for other instruments.

    422 on ``activities`` when an instrument other than the PSFS is given names, when the
    PSFS comes without them or with a number of names other than ``rated`` (its answers);
    on ``activities.<i>`` for a name that is blank or longer than ``ACTIVITY_MAX_LENGTH``.
    """
    instrument = instrument_for(code)
    if instrument is not PSFS:
        if activities is None:
            return None
        raise FieldError(
            "activities", f"only the PSFS names activities; {instrument.code} has none"
        )
    if activities is None:
        raise FieldError("activities", "the PSFS needs the name of each rated activity")
    if not isinstance(activities, list | tuple):
        raise FieldError("activities", "must be a list of activity names")
    if len(activities) != rated:
        raise FieldError(
            "activities",
            f"must name each rated activity, in the order of the answers: {rated} "
            f"answer{'s' if rated != 1 else ''}, {len(activities)} name"
            f"{'s' if len(activities) != 1 else ''}",
        )
    return [_checked_activity(index, name) for index, name in enumerate(activities)]


def _checked_activity(index: int, name: object) -> str:
    field = f"activities.{index}"
    if not isinstance(name, str):
        raise FieldError(field, "must be the activity's name")
    cleaned = name.strip()
    if not cleaned:
        raise FieldError(field, "must name the activity")
    if len(cleaned) > ACTIVITY_MAX_LENGTH:
        raise FieldError(field, f"must be at most {ACTIVITY_MAX_LENGTH} characters")
    return cleaned


def _checked_answers(instrument: Instrument, answers: object) -> list[Decimal | None]:
    if not isinstance(answers, list | tuple):
        raise FieldError("answers", "must be a list of answers")
    count = len(answers)
    if not instrument.min_items <= count <= instrument.max_items:
        raise FieldError("answers", f"{instrument.code} takes {_count_wanted(instrument)}")
    return [_checked_answer(instrument, i, value) for i, value in enumerate(answers)]


def _count_wanted(instrument: Instrument) -> str:
    if instrument.min_items == instrument.max_items:
        skipped = " (null for a skipped one)" if instrument.max_missing else ""
        plural = "s" if instrument.max_items > 1 else ""
        return f"exactly {instrument.max_items} answer{plural}{skipped}"
    return f"{instrument.min_items} to {instrument.max_items} answers"


def _checked_answer(instrument: Instrument, index: int, value: object) -> Decimal | None:
    field = f"answers.{index}"
    low, high = instrument.answer_min, instrument.answer_max
    if value is None:
        if instrument.max_missing:
            return None
        raise FieldError(field, f"is required: a rating from {low} to {high}")
    if instrument.decimal_answers:
        number = _decimal_rating(field, value)
        wanted = f"a number from {low} to {high} with at most one decimal"
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
        wanted = f"a whole number from {low} to {high}"
    else:
        raise FieldError(field, f"must be a whole number from {low} to {high}")
    if not low <= number <= high:
        raise FieldError(field, f"must be {wanted}")
    return number


def _decimal_rating(field: str, value: object) -> Decimal:
    message = "must be a number with at most one decimal"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise FieldError(field, message)
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(field, message)
    try:
        # repr of a float is the shortest text that reads back the same: 6.5 -> "6.5".
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number != number.quantize(TENTH):
            raise FieldError(field, message)
    except InvalidOperation as exc:
        raise FieldError(field, message) from exc
    return number


def _rounded(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` (both >= 0) to one decimal, half up, in exact integers."""
    tenths = (20 * numerator + denominator) // (2 * denominator)
    return Decimal(tenths).scaleb(-1)


def _total(given: Sequence[Decimal]) -> int:
    return int(sum(given, Decimal(0)))


def _odi(given: Sequence[Decimal]) -> tuple[Decimal, Decimal | None]:
    percent = _rounded(100 * _total(given), 5 * len(given))
    return percent, percent


def _ndi(given: Sequence[Decimal]) -> tuple[Decimal, Decimal | None]:
    total, answered = _total(given), len(given)
    return _rounded(10 * total, answered), _rounded(100 * total, 5 * answered)


def _quickdash(given: Sequence[Decimal]) -> tuple[Decimal, Decimal | None]:
    total, answered = _total(given), len(given)
    return _rounded(25 * (total - answered), answered), None


def _psfs(given: Sequence[Decimal]) -> tuple[Decimal, Decimal | None]:
    return _rounded(_total(given), len(given)), None


def _single(given: Sequence[Decimal]) -> tuple[Decimal, Decimal | None]:
    # The rating is already checked to be 0–10; copy_abs only drops the sign of a "-0.0".
    return given[0].quantize(TENTH, rounding=ROUND_HALF_UP).copy_abs(), None


_SCORERS: dict[str, Callable[[Sequence[Decimal]], tuple[Decimal, Decimal | None]]] = {
    ODI.code: _odi,
    NDI.code: _ndi,
    QUICKDASH.code: _quickdash,
    PSFS.code: _psfs,
    VAS.code: _single,
    NPRS.code: _single,
}


@dataclass(frozen=True)
class EpisodeOutcome:
    """Baseline vs latest (vs discharge) of one instrument over an episode of care.

    ``change`` is the improvement from the baseline to the last score (the discharge one
    once the episode is closed): positive means better whatever the instrument's direction.
    """

    instrument: str
    direction: Direction
    baseline: Decimal
    latest: Decimal
    discharge: Decimal | None
    change: Decimal
    mcid: Decimal
    reaches_mcid: bool


def improvement(instrument: Instrument, before: Decimal, after: Decimal) -> Decimal:
    """How much better ``after`` is than ``before`` (negative when worse)."""
    delta = after - before
    return -delta if instrument.direction is Direction.LOWER_IS_BETTER else delta


def episode_outcome(
    code: str, scores: Sequence[Decimal], *, discharged: bool = False
) -> EpisodeOutcome | None:
    """The outcome of an episode from one instrument's scores, oldest first.

    The first score is the baseline and the last the latest; once the episode is
    discharged the last is also the discharge score. ``None`` when nothing was measured.
    """
    instrument = instrument_for(code)
    if not scores:
        return None
    baseline, latest = scores[0], scores[-1]
    change = improvement(instrument, baseline, latest)
    return EpisodeOutcome(
        instrument=instrument.code,
        direction=instrument.direction,
        baseline=baseline,
        latest=latest,
        discharge=latest if discharged else None,
        change=change,
        mcid=instrument.mcid,
        reaches_mcid=change >= instrument.mcid,
    )
