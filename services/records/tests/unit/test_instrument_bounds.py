"""Each instrument's edges, as its manual sets them: how many items, the answers' range, how
many may be skipped, and the scores at both ends of the scale.

Mutation testing found these unpinned: an instrument taking one item more or one skipped answer
more, or an answer one past the range, changed no test's result.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_records.domain.measures import INSTRUMENTS, Direction, episode_outcome, score_measure
from clinic_shared.errors import FieldError

# code: (items (fewest, most), answers (lowest, highest), skippable, scale (worst, best), MCID)
MANUALS = {
    "ODI": ((10, 10), (0, 5), 2, ("100", "0"), "10"),
    "NDI": ((10, 10), (0, 5), 2, ("50", "0"), "7.5"),
    "QuickDASH": ((11, 11), (1, 5), 1, ("100", "0"), "8"),
    "PSFS": ((1, 5), (0, 10), 0, ("0", "10"), "2"),
    "VAS": ((1, 1), (0, 10), 0, ("10", "0"), "1.5"),
    "NPRS": ((1, 1), (0, 10), 0, ("10", "0"), "2"),
}
CODES = list(MANUALS)


def _refused(code: str, answers: list[int | None]) -> FieldError:
    with pytest.raises(FieldError) as refused:
        score_measure(code, answers)
    return refused.value


@pytest.mark.parametrize("code", CODES)
def test_the_table_holds_what_each_manual_says(code: str) -> None:
    _items, _answers, skippable, (worst, best), mcid = MANUALS[code]
    instrument = INSTRUMENTS[code]
    assert instrument.max_missing == skippable
    assert instrument.mcid == Decimal(mcid)
    higher_is_better = Decimal(best) > Decimal(worst)
    assert instrument.direction is (
        Direction.HIGHER_IS_BETTER if higher_is_better else Direction.LOWER_IS_BETTER
    )
    assert instrument.score_max == max(Decimal(worst), Decimal(best))


@pytest.mark.parametrize("code", CODES)
def test_the_fewest_and_the_most_items_are_taken_and_no_other_count(code: str) -> None:
    (fewest, most), (low, _high), *_ = MANUALS[code]
    for count in (fewest, most):
        assert score_measure(code, [low] * count).answered == count
    for count in (fewest - 1, most + 1):
        assert _refused(code, [low] * count).field == "answers"


@pytest.mark.parametrize("code", CODES)
def test_each_end_of_the_answer_range_is_taken_and_one_past_it_is_refused(code: str) -> None:
    (fewest, _most), (low, high), *_ = MANUALS[code]
    for value in (low, high):
        score_measure(code, [value] * fewest)
    for value in (low - 1, high + 1):
        answers: list[int | None] = [low] * fewest
        answers[-1] = value
        assert _refused(code, answers).field == f"answers.{fewest - 1}"


@pytest.mark.parametrize("code", CODES)
def test_as_many_skipped_answers_as_the_manual_allows_and_not_one_more(code: str) -> None:
    (_fewest, most), (low, _high), skippable, *_ = MANUALS[code]
    allowed: list[int | None] = [None] * skippable + [low] * (most - skippable)
    scored = score_measure(code, allowed)
    assert (scored.answered, scored.missing) == (most - skippable, skippable)
    too_many: list[int | None] = [None] * (skippable + 1) + [low] * (most - skippable - 1)
    # An instrument that allows none names the skipped item itself.
    assert _refused(code, too_many).field == ("answers" if skippable else "answers.0")


@pytest.mark.parametrize("code", CODES)
def test_the_lowest_and_highest_answers_score_the_ends_of_the_scale(code: str) -> None:
    (_fewest, most), (low, high), _skippable, (worst, best), _mcid = MANUALS[code]
    lower_is_better = Decimal(worst) > Decimal(best)
    at_low, at_high = score_measure(code, [low] * most), score_measure(code, [high] * most)
    assert (at_low.score, at_high.score) == (
        (Decimal(best), Decimal(worst)) if lower_is_better else (Decimal(worst), Decimal(best))
    )
    if code in ("ODI", "NDI"):  # the 0–100 % form beside the points
        assert (at_low.percent, at_high.percent) == (Decimal(0), Decimal(100))


@pytest.mark.parametrize("code", ["ODI", "NDI", "QuickDASH"])
def test_every_count_of_skipped_answers_past_the_allowance_is_refused(code: str) -> None:
    (_fewest, most), (low, _high), skippable, *_ = MANUALS[code]
    for skipped in range(skippable + 1, most):
        answers: list[int | None] = [None] * skipped + [low] * (most - skipped)
        assert _refused(code, answers).field == "answers", f"{skipped} skipped"


@pytest.mark.parametrize(
    ("code", "answers", "wanted"),
    [
        ("VAS", [1, 2], "VAS takes exactly 1 answer"),
        ("ODI", [1] * 9, "ODI takes exactly 10 answers (null for a skipped one)"),
        ("PSFS", [1] * 6, "PSFS takes 1 to 5 answers"),
    ],
)
def test_the_wrong_count_says_how_many_in_words(code: str, answers: list[int], wanted: str) -> None:
    assert _refused(code, list(answers)).message == wanted


@pytest.mark.parametrize("code", CODES)
def test_a_change_far_beyond_the_mcid_reaches_it(code: str) -> None:
    _items, _answers, _skippable, (worst, best), _mcid = MANUALS[code]
    outcome = episode_outcome(code, [Decimal(worst), Decimal(best)])
    assert outcome is not None
    assert outcome.change == abs(Decimal(best) - Decimal(worst))
    assert outcome.change > INSTRUMENTS[code].mcid
    assert outcome.reaches_mcid
