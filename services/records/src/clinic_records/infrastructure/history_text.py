"""What the clinical-history PDF says and how it writes dates and scores, in Spanish or English.

No process locale (``locale.setlocale`` is global and not thread-safe): Spanish writes
``15/01/2026`` and ``35,6``; English spells the month (``15 Jan 2026``) and writes ``35.6``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from clinic_records.domain.measures import INSTRUMENTS

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = ("es", "en")

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip

LABELS: dict[Language, dict[str, str]] = {
    "es": {
        "title": "Historia clínica",
        "patient": "Paciente",
        "patient_id": "Identificador",
        "issued": "Emitida el",
        "issued_by": "Emitida por",
        "legal": (
            "Copia de la historia clínica entregada en ejercicio del derecho de acceso "
            "(art. 15 RGPD; art. 18 Ley 41/2002). Contiene las anotaciones firmadas con sus "
            "enmiendas; una anotación firmada no se modifica nunca."
        ),
        "episodes": "Episodios de atención",
        "no_episodes": "Sin episodios de atención.",
        "reason": "Motivo",
        "body_region": "Región",
        "practitioner": "Fisioterapeuta",
        "opened": "Inicio",
        "discharged": "Alta",
        "open": "En curso",
        "discharge_reason": "Motivo del alta",
        "retain_until": "Se conserva al menos hasta",
        "outcomes": "Resultados",
        "baseline": "Inicial",
        "latest": "Última",
        "change": "Mejoría",
        "mcid": "DMCI",
        "reached": "Alcanza la DMCI",
        "yes": "Sí",
        "no": "No",
        "measures": "Medidas de resultado",
        "no_measures": "Sin medidas de resultado.",
        "date": "Fecha",
        "instrument": "Instrumento",
        "score": "Puntuación",
        "episode": "Episodio",
        "taken_by": "Registrada por",
        "entries": "Anotaciones clínicas",
        "no_entries": "Sin anotaciones firmadas.",
        "author": "Autor",
        "signed": "Firmada por {who} el {when}",
        "pain": "Dolor (EVA)",
        "amendment": "Enmienda de {who}, {when}",
        "type_assessment": "Valoración inicial",
        "type_treatment": "Tratamiento",
        "type_evolution": "Evolución",
        "type_discharge": "Alta",
        "type_note": "Nota",
        "subjective": "Subjetivo",
        "objective": "Objetivo",
        "assessment": "Evaluación",
        "plan": "Plan",
        "page": "Página",
        "part": "Parte {part} de {parts}: anotaciones {first}–{last} de {total}, por fecha.",
        "part_rest": "Los episodios y las medidas de resultado están en la parte 1.",
        "instrument_ODI": "Índice de discapacidad de Oswestry 2.1a (ODI)",
        "instrument_NDI": "Índice de discapacidad cervical (NDI)",
        "instrument_QuickDASH": "QuickDASH",
        "instrument_PSFS": "Escala funcional específica del paciente (PSFS)",
        "instrument_VAS": "Escala visual analógica del dolor (EVA)",
        "instrument_NPRS": "Escala numérica del dolor (NPRS)",
        "unit_%": "%",
        "unit_points": "puntos",
    },
    "en": {
        "title": "Clinical history",
        "patient": "Patient",
        "patient_id": "Identifier",
        "issued": "Issued on",
        "issued_by": "Issued by",
        "legal": (
            "Copy of the clinical history given under the right of access (GDPR art. 15; "
            "Spanish Law 41/2002 art. 18). It holds the signed entries with their amendments; "
            "a signed entry never changes."
        ),
        "episodes": "Episodes of care",
        "no_episodes": "No episodes of care.",
        "reason": "Reason",
        "body_region": "Region",
        "practitioner": "Physiotherapist",
        "opened": "Opened",
        "discharged": "Discharged",
        "open": "Ongoing",
        "discharge_reason": "Discharge reason",
        "retain_until": "Kept at least until",
        "outcomes": "Outcomes",
        "baseline": "Baseline",
        "latest": "Latest",
        "change": "Improvement",
        "mcid": "MCID",
        "reached": "Reaches the MCID",
        "yes": "Yes",
        "no": "No",
        "measures": "Outcome measures",
        "no_measures": "No outcome measures.",
        "date": "Date",
        "instrument": "Instrument",
        "score": "Score",
        "episode": "Episode",
        "taken_by": "Recorded by",
        "entries": "Clinical entries",
        "no_entries": "No signed entries.",
        "author": "Author",
        "signed": "Signed by {who} on {when}",
        "pain": "Pain (VAS)",
        "amendment": "Amendment by {who}, {when}",
        "type_assessment": "Initial assessment",
        "type_treatment": "Treatment",
        "type_evolution": "Progress",
        "type_discharge": "Discharge",
        "type_note": "Note",
        "subjective": "Subjective",
        "objective": "Objective",
        "assessment": "Assessment",
        "plan": "Plan",
        "page": "Page",
        "part": "Part {part} of {parts}: entries {first}–{last} of {total}, by date.",
        "part_rest": "The episodes and the outcome measures are in part 1.",
        "instrument_ODI": "Oswestry Disability Index 2.1a (ODI)",
        "instrument_NDI": "Neck Disability Index (NDI)",
        "instrument_QuickDASH": "QuickDASH",
        "instrument_PSFS": "Patient-Specific Functional Scale (PSFS)",
        "instrument_VAS": "Pain visual analogue scale (VAS)",
        "instrument_NPRS": "Numeric pain rating scale (NPRS)",
        "unit_%": "%",
        "unit_points": "points",
    },
}

assert LABELS["es"].keys() == LABELS["en"].keys()
assert all(f"instrument_{code}" in LABELS["es"] for code in INSTRUMENTS)
assert all(f"unit_{i.unit}" in LABELS["es"] for i in INSTRUMENTS.values())


@dataclass(frozen=True)
class Locale:
    """Labels and formats of one language."""

    language: Language

    @property
    def labels(self) -> dict[str, str]:
        """The page's texts."""
        return LABELS[self.language]

    def date(self, value: date) -> str:
        """``15/01/2026`` or ``15 Jan 2026``."""
        if self.language == "es":
            return value.strftime("%d/%m/%Y")
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"

    def moment(self, value: datetime) -> str:
        """A date and a 24-hour time (already in the clinic's zone)."""
        return f"{self.date(value.date())} {value.strftime('%H:%M')}"

    def score(self, value: Decimal) -> str:
        """A one-decimal score: ``35,6`` or ``35.6``."""
        text = f"{value:.1f}"
        return text.replace(".", ",") if self.language == "es" else text

    def change(self, value: Decimal) -> str:
        """An improvement with its sign: ``+12,0`` (better) or ``-3,5`` (worse)."""
        text = f"{value:+.1f}"
        return text.replace(".", ",") if self.language == "es" else text
