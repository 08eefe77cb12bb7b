"""Years of a big physiotherapy clinic's clinical histories (about five million entries).

A hundred thousand patients come for one or more episodes of care (low back pain, a sprained
ankle, a frozen shoulder…), each a run of sessions about a week apart: an assessment first,
treatment and evolution notes, a discharge when the episode closed. Most patients have a few
dozen entries; the first ``long_patients`` are the clinic's long-term patients with exactly
``long_entries`` each (the benchmark's "timeline of 500 entries"). Entries are signed, but for
a few drafts (which the timeline shows only to their authors); one
in two hundred signed entries carries an amendment; most document an appointment.

The clinical text is short Spanish physiotherapy prose, sealed with the service's own
``Cipher`` and context (``entries.subjective:<id>``…), so every value opens exactly as the
service's would: the data is what the service itself writes, not look-alike bytes. The read
audit starts with the reads of the clinic's past years. Everything comes from one seeded
``random.Random``; rows come out as LOAD DATA lines (tab-separated, ``\\N`` = NULL).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from billing_data import _uuid
from patients_data import SpanishNames

from clinic_records.domain.entries import SECTIONS
from clinic_records.infrastructure.crypto import Cipher

NULL = "\\N"
REGIONS = {
    "lumbar": ["Lumbalgia mecánica", "Lumbociática derecha", "Hernia discal L5-S1"],
    "cervical": ["Cervicalgia con cefalea tensional", "Latigazo cervical", "Cervicobraquialgia"],
    "shoulder": ["Hombro doloroso", "Capsulitis adhesiva", "Tendinopatía del supraespinoso"],
    "knee": ["Gonalgia", "Rehabilitación tras plastia de LCA", "Condropatía rotuliana"],
    "ankle": ["Esguince de tobillo grado II", "Tendinopatía aquílea", "Fascitis plantar"],
    "hip": ["Coxartrosis", "Rehabilitación tras prótesis de cadera"],
}
SUBJECTIVE = [
    "Refiere dolor {v}/10, peor al final del día; duerme mejor que la semana pasada.",
    "Acude con menos dolor. Ha podido caminar 30 minutos sin molestias.",
    "Dolor al levantarse de la silla y al subir escaleras; no irradia.",
    "Nota rigidez matinal de unos 20 minutos; sin síntomas neurológicos.",
    "Refiere mejoría clara tras la última sesión; hace los ejercicios a diario.",
]
OBJECTIVE = [
    "Balance articular: flexión 110°, extensión -5°. Fuerza 4/5. Palpación dolorosa.",
    "Test de Lasègue negativo. Movilidad lumbar completa con dolor al final del rango.",
    "Marcha sin cojera. Edema leve perimaleolar. Apoyo monopodal 20 s.",
    "Contractura del trapecio superior; puntos gatillo activos. Rotación 60°/70°.",
]
ASSESSMENT = [
    "Evolución favorable según lo previsto.",
    "Mejoría funcional; persiste dolor con cargas.",
    "Estancado esta semana; revisar la carga de ejercicios.",
]
PLAN = [
    "Terapia manual, punción seca en trapecio, ejercicios de control motor. Revisión en 1 semana.",
    "Progresar ejercicios excéntricos; vendaje funcional. Próxima sesión el jueves.",
    "Mantener pauta domiciliaria; añadir trabajo propioceptivo.",
]
AMENDMENT = "Corrección: el balance articular era de flexión 100°, no 110°."


@dataclass(frozen=True)
class RecordsClinic:
    """Who is in the clinic: everything follows from these values (and so can be redrawn in
    another process, chunk by chunk, and cached on disk)."""

    seed: int
    key_text: str
    patients: int
    entries: int
    long_patients: int
    long_entries: int
    today: date

    @cached_property
    def cipher(self) -> Cipher:
        """The service's cipher with the stack's key."""
        return Cipher.from_text(self.key_text)

    @cached_property
    def practitioners(self) -> list[str]:
        """Thirty physiotherapists (the benchmark's viewer is a newcomer: none of the data is
        theirs, so the data does not depend on their id and can be cached)."""
        rng = random.Random(f"{self.seed}-staff")
        return [_uuid(rng) for _ in range(30)]

    @cached_property
    def patient_ids(self) -> list[str]:
        """Every patient; the first ``long_patients`` have ``long_entries`` entries each."""
        rng = random.Random(f"{self.seed}-patients")
        return [_uuid(rng) for _ in range(self.patients)]

    @cached_property
    def counts(self) -> list[int]:
        """Entries per patient: ``long_entries`` for the first ones, a long tail for the rest."""
        rng = random.Random(f"{self.seed}-counts")
        rest = self.patients - self.long_patients
        mean = (self.entries - self.long_patients * self.long_entries) / rest
        counts = [max(1, min(450, round(rng.expovariate(1 / mean)))) for _ in range(rest)]
        return [self.long_entries] * self.long_patients + counts


def patient_lines(clinic: RecordsClinic) -> Iterator[str]:
    """The patients read model (id, full_name, status, entity_version)."""
    rng = random.Random(f"{clinic.seed}-names")
    names = SpanishNames(rng)
    for patient_id in clinic.patient_ids:
        full = f"{names.first_name('F' if rng.random() < 0.55 else 'M')} {names.surname()}"
        yield f"{patient_id}\t{full}\tactive\t1\n"


def practitioner_lines(clinic: RecordsClinic) -> Iterator[str]:
    """The staff read model (the viewer is already there, from identity's events)."""
    for number, practitioner_id in enumerate(clinic.practitioners, start=1):
        yield f"{practitioner_id}\tFisioterapeuta {number}\t1\t1\t1\n"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")


@dataclass
class Lines:
    """LOAD DATA lines of each table, in their tables' column order."""

    episodes: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    amendments: list[str] = field(default_factory=list)


def history_lines(clinic: RecordsClinic, first: int, last: int) -> Lines:
    """The episodes, entries and amendments of patients ``first``..``last - 1`` (the same
    lines for the same clinic and range, whatever was drawn before)."""
    rng, seal, out = random.Random(f"{clinic.seed}-history-{first}"), clinic.cipher.seal, Lines()
    counts = clinic.counts
    for index in range(first, last):
        patient_id, left = clinic.patient_ids[index], counts[index]
        day = clinic.today - timedelta(days=7 * left + rng.randrange(30, 2000))
        while left:
            size = min(left, max(2, round(rng.gauss(10, 4))))
            left -= size
            practitioner = rng.choice(clinic.practitioners)
            episode_id = _uuid(rng)
            region = rng.choice(list(REGIONS))
            opened, closed = day, day + timedelta(days=7 * (size - 1))
            is_open = not left and (clinic.today - closed).days < 60
            now = _stamp(datetime.combine(opened, time(9)))
            out.episodes.append(
                "\t".join(
                    [
                        episode_id,
                        patient_id,
                        practitioner,
                        seal(rng.choice(REGIONS[region]), f"episodes.reason:{episode_id}"),
                        region,
                        opened.isoformat(),
                        NULL if is_open else closed.isoformat(),
                        NULL
                        if is_open
                        else seal(
                            "Alta por objetivos cumplidos",
                            f"episodes.discharge_reason:{episode_id}",
                        ),
                        "1",
                        practitioner,
                        now,
                        now,
                    ]
                )
                + "\n"
            )
            for session in range(size):
                kind = (
                    "assessment"
                    if session == 0
                    else "discharge"
                    if session == size - 1 and not is_open
                    else rng.choice(("treatment", "treatment", "evolution", "note"))
                )
                out.entries.append(
                    _entry(clinic, rng, patient_id, episode_id, practitioner, day, kind)
                )
                if rng.random() < 0.005 and "\tsigned\t" in out.entries[-1]:
                    out.amendments.append(_amendment(clinic, rng, out.entries[-1], day))
                day = min(clinic.today, day + timedelta(days=rng.choice((3, 4, 7, 7, 7, 14))))
            day += timedelta(days=rng.randrange(30, 400))
            day = min(day, clinic.today)
    return out


def _entry(
    clinic: RecordsClinic,
    rng: random.Random,
    patient_id: str,
    episode_id: str,
    author: str,
    day: date,
    kind: str,
) -> str:
    seal = clinic.cipher.seal
    entry_id = _uuid(rng)
    vas = rng.randrange(0, 11)
    texts = {
        "subjective": rng.choice(SUBJECTIVE).format(v=vas),
        "objective": rng.choice(OBJECTIVE),
        "assessment": rng.choice(ASSESSMENT) if rng.random() < 0.6 else None,
        "plan": rng.choice(PLAN),
    }
    sealed = [
        NULL if texts[name] is None else seal(texts[name], f"entries.{name}:{entry_id}")
        for name in SECTIONS
    ]
    created = datetime.combine(day, time(rng.randrange(8, 20), rng.randrange(60)))
    draft = rng.random() < 0.003
    signed_at = NULL if draft else _stamp(created + timedelta(minutes=rng.randrange(5, 90)))
    appointment = _uuid(rng) if rng.random() < 0.8 else NULL
    return (
        "\t".join(
            [
                entry_id,
                patient_id,
                episode_id,
                appointment,
                kind,
                day.isoformat(),
                "draft" if draft else "signed",
                author,
                *sealed,
                str(vas),
                NULL if draft else author,
                signed_at,
                "1" if draft else "2",
                _stamp(created),
                _stamp(created) if draft else signed_at,
            ]
        )
        + "\n"
    )


def _amendment(clinic: RecordsClinic, rng: random.Random, entry_line: str, day: date) -> str:
    fields = entry_line.split("\t")
    amendment_id = _uuid(rng)
    text = clinic.cipher.seal(AMENDMENT, f"amendments.text:{amendment_id}")
    when = _stamp(datetime.combine(day + timedelta(days=1), time(rng.randrange(8, 20))))
    return f"{amendment_id}\t{fields[0]}\t{fields[7]}\t{text}\t{when}\n"


def audit_lines(clinic: RecordsClinic, count: int) -> Iterator[str]:
    """Past reads: staff reading histories over the last years (id left to AUTO_INCREMENT)."""
    rng = random.Random(f"{clinic.seed}-audit")
    start = datetime.combine(clinic.today - timedelta(days=3 * 365), time(8))
    step = (datetime.combine(clinic.today, time(8)) - start) / count
    for number in range(count):
        reader = rng.choice(clinic.practitioners)
        patient = rng.choice(clinic.patient_ids)
        timeline = rng.random() < 0.8
        action = "timeline.read" if timeline else "record.read"
        resource = NULL if timeline else _uuid(rng)
        yield (
            f"{reader}\tROLE_PRACTITIONER\t{patient}\t{action}\t{resource}\t"
            f"{_stamp(start + step * number)}\t{_uuid(rng)}\n"
        )
