"""The prefilled SOAP sections of each entry type, in Spanish and English."""

from __future__ import annotations

from clinic_records.domain.entries import ENTRY_TYPES, Soap

LANGUAGES = ("es", "en")

_TEMPLATES: dict[str, dict[str, Soap]] = {
    "assessment": {
        "es": Soap(
            "Motivo de consulta:\nInicio y evolución:\nDolor (localización, tipo, horario):\n"
            "Antecedentes y medicación:",
            "Inspección:\nBalance articular:\nBalance muscular:\nPruebas específicas:",
            "Diagnóstico fisioterápico:\nFactores contribuyentes:",
            "Objetivos:\nTratamiento propuesto:\nFrecuencia y duración:",
        ),
        "en": Soap(
            "Main complaint:\nOnset and course:\nPain (site, kind, pattern):\n"
            "History and medication:",
            "Observation:\nRange of motion:\nStrength:\nSpecial tests:",
            "Physiotherapy diagnosis:\nContributing factors:",
            "Goals:\nProposed treatment:\nFrequency and duration:",
        ),
    },
    "treatment": {
        "es": Soap(
            "Cómo se encuentra desde la última sesión:",
            "Hallazgos de hoy:",
            "Respuesta al tratamiento:",
            "Técnicas aplicadas:\nEjercicios para casa:\nPróxima sesión:",
        ),
        "en": Soap(
            "How the patient has been since the last session:",
            "Today's findings:",
            "Response to treatment:",
            "Techniques applied:\nHome exercises:\nNext session:",
        ),
    },
    "evolution": {
        "es": Soap(
            "Cambios referidos por el paciente:",
            "Reevaluación (movilidad, fuerza, pruebas):",
            "Progreso respecto a los objetivos:",
            "Ajustes del plan:",
        ),
        "en": Soap(
            "Changes the patient reports:",
            "Re-assessment (mobility, strength, tests):",
            "Progress towards the goals:",
            "Changes to the plan:",
        ),
    },
    "discharge": {
        "es": Soap(
            "Situación referida al alta:",
            "Exploración final:",
            "Resultado y objetivos alcanzados:",
            "Recomendaciones y pautas de autocuidado:",
        ),
        "en": Soap(
            "How the patient reports at discharge:",
            "Final examination:",
            "Outcome and goals reached:",
            "Advice and self-care:",
        ),
    },
    "note": {
        "es": Soap(None, None, None, None),
        "en": Soap(None, None, None, None),
    },
}

assert set(_TEMPLATES) == set(ENTRY_TYPES)


def template(entry_type: str, language: str) -> Soap:
    """The prefilled sections of ``entry_type`` in ``language`` (Spanish when unknown)."""
    return _TEMPLATES[entry_type].get(language, _TEMPLATES[entry_type]["es"])


def templates(entry_type: str | None, language: str) -> list[tuple[str, Soap]]:
    """``(type, sections)`` of one type, or of every type when ``entry_type`` is None."""
    types = ENTRY_TYPES if entry_type is None else (entry_type,)
    return [(kind, template(kind, language)) for kind in types]
