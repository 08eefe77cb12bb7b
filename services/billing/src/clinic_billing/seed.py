"""Demo data and the test reset: the demo clinic's letterhead and its service catalogue.

Patients and completed appointments arrive only as events, so no customer or session is
seeded here: a patient's customer is made on demand from billing's patient read model.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.tables import (
    billable_sessions,
    catalogue,
    chain_heads,
    clinic_settings,
    counters,
    customers,
    idempotency_keys,
    insurer_prices,
    invoice_lines,
    invoice_name_words,
    invoices,
    outbox,
    payments,
    verifactu_records,
)

DEMO_SETTINGS = {
    "id": 1,
    "legal_name": "Fisioterapia Demo, S.L.",
    "tax_id": "B12345674",
    "address": "Calle de Alcalá 120, 28009 Madrid",
    "email": "facturas@fisio-demo.example.es",
    "phone": "+34 910 000 000",
    "logo": None,
    "invoice_footer": "Inscrita en el Registro Mercantil de Madrid. Gracias por su confianza.",
    "default_language": "es",
    "verifactu_enabled": True,
    # The demo prints AEAT's test host: its QR codes must never validate a real invoice.
    "qr_environment": "test",
    "version": 1,
}

# (code, es, en, price, VAT %, exemption, appointment type): physiotherapy is exempt
# (art. 20.Uno.3º LIVA); a product sold at the desk carries 21 %.
DEMO_CATALOGUE = (
    ("VAL", "Valoración inicial", "Initial assessment", "50.00", "0", "health_care", "first_visit"),
    (
        "FIS",
        "Sesión de fisioterapia",
        "Physiotherapy session",
        "40.00",
        "0",
        "health_care",
        "follow_up",
    ),
    ("PUN", "Punción seca", "Dry needling", "35.00", "0", "health_care", "dry_needling"),
    (
        "SPE",
        "Fisioterapia de suelo pélvico",
        "Pelvic floor physiotherapy",
        "45.00",
        "0",
        "health_care",
        "pelvic_floor",
    ),
    ("MAS", "Masaje deportivo", "Sports massage", "35.00", "0", "health_care", "sports_massage"),
    ("BAN", "Banda elástica de resistencia", "Resistance band", "12.00", "21", None, None),
)


def seed_demo(session: Session) -> int:
    """The demo letterhead and catalogue unless already there; returns how many rows were added."""
    added = 0
    with session.begin():
        if session.execute(select(clinic_settings.c.id)).first() is None:
            session.execute(insert(clinic_settings).values(**DEMO_SETTINGS))
            added += 1
        known = set(session.execute(select(catalogue.c.code)).scalars())
        for code, name_es, name_en, price, rate, exemption, appointment_type in DEMO_CATALOGUE:
            if code in known:
                continue
            session.execute(
                insert(catalogue).values(
                    code=code,
                    name_es=name_es,
                    name_en=name_en,
                    price=Decimal(price),
                    vat_rate=Decimal(rate),
                    exemption=exemption,
                    appointment_type=appointment_type,
                    active=True,
                    version=1,
                )
            )
            added += 1
    return added


def reset(session: Session) -> None:
    """Empty everything billing wrote (not the patient read model), then seed the demo again."""
    with session.begin():
        for table in (
            payments,
            invoice_lines,
            invoice_name_words,
            invoices,
            verifactu_records,
            chain_heads,
            counters,
            billable_sessions,
            insurer_prices,
            customers,
            catalogue,
            clinic_settings,
            outbox,
            idempotency_keys,
        ):
            session.execute(delete(table))
    seed_demo(session)
