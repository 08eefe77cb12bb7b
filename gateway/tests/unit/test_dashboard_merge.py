"""Merging the contexts' stats into the dashboard document."""

from __future__ import annotations

from clinic_gateway.dashboard import ContextNotDeployedError, merge_stats
from clinic_gateway.proxy import UpstreamUnavailableError


def _dump(answers: dict[str, object]) -> dict[str, object]:
    return merge_stats(answers).model_dump(by_alias=True)


def test_fixed_counters_are_null_and_contexts_degraded_when_nobody_answers() -> None:
    down = UpstreamUnavailableError("connection refused")
    assert _dump({"patients": down, "scheduling": TimeoutError(), "billing": down}) == {
        "totalPatients": None,
        "totalAppointments": None,
        "totalInvoices": None,
        "degraded": ["patients", "scheduling", "billing"],
        "notDeployed": [],
    }


def test_answers_are_merged_with_extra_numbers_kept() -> None:
    stats = _dump(
        {
            "identity": {"totalUsers": 4, "activePractitioners": 2},
            "patients": {"totalPatients": 120, "newThisMonth": 7},
            "scheduling": UpstreamUnavailableError("down"),
            "billing": {"totalInvoices": 30, "outstandingAmount": "150.00"},
        }
    )
    assert stats == {
        "totalPatients": 120,
        "totalAppointments": None,
        "totalInvoices": 30,
        "totalUsers": 4,
        "activePractitioners": 2,
        "newThisMonth": 7,
        "outstandingAmount": "150.00",
        "degraded": ["scheduling"],
        "notDeployed": [],
    }


def test_a_context_not_deployed_is_listed_apart_from_the_degraded() -> None:
    stats = _dump(
        {
            "patients": {"totalPatients": 3},
            "scheduling": TimeoutError(),
            "records": ContextNotDeployedError("nothing listens"),
        }
    )
    assert (stats["degraded"], stats["notDeployed"]) == (["scheduling"], ["records"])


def test_a_context_cannot_fake_degraded_or_break_the_fixed_counters() -> None:
    stats = _dump({"patients": {"totalPatients": "many", "degraded": ["billing"]}})
    assert stats["totalPatients"] is None
    assert stats["degraded"] == []
    assert _dump({"patients": {"notDeployed": ["billing"]}})["notDeployed"] == []
    assert _dump({"patients": {"totalPatients": True}})["totalPatients"] is None
