"""Request and response bodies of the records API (camelCase on the wire)."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field

from clinic_records.application.entries import EntryView
from clinic_records.application.episodes import EpisodeView
from clinic_records.application.pain import PainPoint
from clinic_records.domain.entries import AMENDMENT_MAX_CHARS, EntryFields, Soap
from clinic_records.domain.episodes import EpisodeFields
from clinic_records.entrypoints.measure_schemas import Score
from clinic_shared.schemas import CamelInput, CamelModel, UtcDatetime

EntryType = Literal["assessment", "treatment", "evolution", "discharge", "note"]
Section = Field(default=None, max_length=20_000)


PainSource = Literal["entry", "VAS", "NPRS"]


class EntryBody(CamelInput):
    """A draft's content (creation and every edit)."""

    type: EntryType
    entry_date: dt.date = Field(alias="date")
    appointment_id: UUID | None = None
    episode_id: UUID | None = None
    subjective: str | None = Section
    objective: str | None = Section
    assessment: str | None = Section
    plan: str | None = Section
    pain_vas: int | None = Field(default=None, ge=0, le=10)

    def fields(self) -> EntryFields:
        """The domain's view of the body."""
        return EntryFields(
            type=self.type,
            entry_date=self.entry_date,
            soap=Soap(self.subjective, self.objective, self.assessment, self.plan),
            pain_vas=self.pain_vas,
            appointment_id=str(self.appointment_id) if self.appointment_id else None,
            episode_id=str(self.episode_id) if self.episode_id else None,
        )


class EntryCreate(EntryBody):
    """A new draft for a patient."""

    patient_id: UUID


class AmendmentBody(CamelInput):
    """The text of a signed correction."""

    text: str = Field(min_length=1, max_length=AMENDMENT_MAX_CHARS)


class AmendmentPublic(CamelModel):
    """A signed amendment (its author and time are its signature)."""

    id: str
    author_id: str
    text: str
    signed_at: UtcDatetime


class EntryPublic(CamelModel):
    """An entry with its amendments."""

    id: str
    patient_id: str
    episode_id: str | None
    appointment_id: str | None
    type: str
    entry_date: dt.date = Field(serialization_alias="date")
    status: str
    author_id: str
    subjective: str | None
    objective: str | None
    assessment: str | None
    plan: str | None
    pain_vas: int | None
    signed_by: str | None
    signed_at: UtcDatetime | None
    version: int
    amendments: list[AmendmentPublic]

    @classmethod
    def of(cls, view: EntryView) -> EntryPublic:
        """The answer for ``view``."""
        entry, fields = view.entry, view.entry.fields
        return cls(
            id=entry.id,
            patient_id=entry.patient_id,
            episode_id=fields.episode_id,
            appointment_id=fields.appointment_id,
            type=fields.type,
            entry_date=fields.entry_date,
            status=entry.status,
            author_id=entry.author_id,
            subjective=fields.soap.subjective,
            objective=fields.soap.objective,
            assessment=fields.soap.assessment,
            plan=fields.soap.plan,
            pain_vas=fields.pain_vas,
            signed_by=entry.signed_by,
            signed_at=entry.signed_at,
            version=entry.version,
            amendments=[AmendmentPublic.model_validate(a) for a in view.amendments],
        )


class EpisodeBody(CamelInput):
    """An episode's editable fields."""

    practitioner_id: str | None = Field(default=None, min_length=1, max_length=36)
    reason: str = Field(min_length=1, max_length=2000)
    body_region: str | None = Field(default=None, max_length=50)
    opened_on: dt.date | None = None

    def fields(self, caller_id: str, today: dt.date) -> EpisodeFields:
        """The domain's view (the caller practises it and it opens today unless said)."""
        return EpisodeFields(
            practitioner_id=self.practitioner_id or caller_id,
            reason=self.reason,
            body_region=self.body_region,
            opened_on=self.opened_on or today,
        )


class EpisodeUpdate(EpisodeBody):
    """The whole episode again (PUT): who practises it and when it opened are required."""

    practitioner_id: str = Field(min_length=1, max_length=36)
    opened_on: dt.date


class EpisodeCreate(EpisodeBody):
    """A new episode of care for a patient."""

    patient_id: UUID


class DischargeBody(CamelInput):
    """Why the episode ends."""

    reason: str = Field(min_length=1, max_length=2000)


class EpisodePublic(CamelModel):
    """An episode of care (with its entries when read on its own)."""

    id: str
    patient_id: str
    practitioner_id: str
    reason: str
    body_region: str | None
    opened_on: dt.date
    discharged_on: dt.date | None
    discharge_reason: str | None
    retain_until: dt.date | None = Field(
        description=(
            "Kept at least until this day (Ley 41/2002 art. 17: five years after the "
            "discharge); null while the episode is open. Records never deletes anything."
        )
    )
    version: int
    entries: list[EntryPublic]

    @classmethod
    def of(cls, view: EpisodeView) -> EpisodePublic:
        """The answer for ``view``."""
        episode, fields = view.episode, view.episode.fields
        return cls(
            id=episode.id,
            patient_id=episode.patient_id,
            practitioner_id=fields.practitioner_id,
            reason=fields.reason,
            body_region=fields.body_region,
            opened_on=fields.opened_on,
            discharged_on=episode.discharged_on,
            discharge_reason=episode.discharge_reason,
            retain_until=episode.retain_until,
            version=episode.version,
            entries=[EntryPublic.of(e) for e in view.entries],
        )


class TemplatePublic(CamelModel):
    """The prefilled sections of one entry type in one language."""

    type: str
    lang: str
    subjective: str | None
    objective: str | None
    assessment: str | None
    plan: str | None


class AuditPublic(CamelModel):
    """One audited read of clinical content."""

    id: int
    user_id: str
    roles: str
    patient_id: str | None
    action: str
    resource_id: str | None
    read_at: UtcDatetime
    request_id: str | None


class SessionPublic(CamelModel):
    """A completed session still without a signed note."""

    appointment_id: str
    practitioner_id: str
    patient_id: str | None
    patient_name: str | None
    starts_at: UtcDatetime


class StatsPublic(CamelModel):
    """The dashboard's figures for a practitioner."""

    sessions_without_note: int


class PainPointPublic(CamelModel):
    """One pain rating of the series: an entry's painVas or a VAS/NPRS measure's score."""

    date: dt.date
    pain: Score = Field(description="0–10: an entry's painVas, a VAS (one decimal), an NPRS.")
    source: PainSource = Field(description="`entry`, or the pain scale taken as a measure.")
    episode_id: str | None
    signed: bool = Field(description="False for your own draft entry; a measure is final.")
    entry_id: str | None
    entry_type: EntryType | None
    measure_id: str | None

    @classmethod
    def of(cls, point: PainPoint) -> PainPointPublic:
        """The answer for ``point``."""
        return cls(
            date=point.day,
            pain=point.pain,
            source=point.source,
            episode_id=point.episode_id,
            signed=point.signed,
            entry_id=point.entry_id,
            entry_type=point.entry_type,
            measure_id=point.measure_id,
        )


class PainSeriesPublic(CamelModel):
    """A patient's pain over time, oldest first (for the chart of pain)."""

    patient_id: str
    episode_id: str | None
    points: list[PainPointPublic]
