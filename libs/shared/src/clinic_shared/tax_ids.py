"""Spanish and EU tax ids: NIF (DNI), NIE, CIF or an EU VAT number, through python-stdnum.

python-stdnum (``stdnum.es.dni``/``nie``/``cif``, ``stdnum.eu.vat``) knows the check letters
and digits, so no service keeps its own table of them. Billing validates its issuer and its
customers with :func:`parse_tax_id` (a wrong one is a 422 naming the field); patients checks
only identity documents shaped like a DNI or NIE (:func:`identity_document_problem`), since a
patient may show a passport or a foreign document as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from stdnum import exceptions as stdnum_errors
from stdnum.es import cif, dni, nie
from stdnum.eu import vat

from clinic_shared.errors import FieldError

Kind = Literal["dni", "nie", "cif", "eu_vat"]

_SEPARATORS = re.compile(r"[\s.\-/]")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{2}[0-9A-Z]")
_SPANISH: tuple[tuple[Kind, ModuleType], ...] = (("dni", dni), ("nie", nie), ("cif", cif))
# A DNI is 8 digits and a letter; a NIE is X, Y or Z, 7 digits and a letter.
_IDENTITY_DOCUMENTS: tuple[tuple[str, re.Pattern[str], ModuleType], ...] = (
    ("DNI", re.compile(r"^[0-9]{8}[A-Z]$"), dni),
    ("NIE", re.compile(r"^[XYZ][0-9]{7}[A-Z]$"), nie),
)


@dataclass(frozen=True)
class TaxId:
    """A valid tax id in its compact form (``12345678Z``, ``B12345674``, ``DE136695976``)."""

    kind: Kind
    number: str

    @property
    def spanish(self) -> bool:
        """Whether it is a Spanish NIF (DNI, NIE or CIF)."""
        return self.kind != "eu_vat"


def compact(value: str) -> str:
    """Upper case, without spaces, dots, hyphens or slashes."""
    return _SEPARATORS.sub("", value).upper()


def parse_tax_id(value: str, field: str = "taxId") -> TaxId:
    """The tax id ``value`` is, or 422 naming ``field`` (e.g. a NIF with a wrong check letter)."""
    number = compact(value)
    if not number:
        raise FieldError(field, "must not be empty")
    if number.startswith("ES"):
        number = number[2:]
    elif _COUNTRY_PREFIX.match(number) and number[:2].lower() in vat.MEMBER_STATES:
        return _eu_vat(number, field)
    checksum_failed = False
    for kind, module in _SPANISH:
        try:
            return TaxId(kind, module.validate(number))
        except stdnum_errors.InvalidChecksum:
            checksum_failed = True
        except stdnum_errors.ValidationError:
            continue
    if checksum_failed:
        raise FieldError(field, "the check letter or digit does not match")
    raise FieldError(field, "is not a NIF, NIE, CIF or EU VAT number")


def _eu_vat(number: str, field: str) -> TaxId:
    try:
        return TaxId("eu_vat", vat.validate(number))
    except stdnum_errors.InvalidChecksum:
        raise FieldError(field, "the check digits of the VAT number do not match") from None
    except stdnum_errors.ValidationError:
        raise FieldError(field, "is not a valid EU VAT number") from None


def parse_spanish_tax_id(value: str, field: str = "taxId") -> TaxId:
    """A Spanish NIF only: what the issuer of an invoice (IDEmisorFactura) must have."""
    tax_id = parse_tax_id(value, field)
    if not tax_id.spanish:
        raise FieldError(field, "must be a Spanish NIF, NIE or CIF")
    return tax_id


def identity_document_problem(number: str) -> str | None:
    """Why a compact DNI- or NIE-shaped ``number`` has a wrong check letter; None otherwise.

    Values of any other shape (passports, foreign documents) are not judged here.
    """
    for name, shape, module in _IDENTITY_DOCUMENTS:
        if shape.match(number):
            expected = module.calc_check_digit(number[:-1])
            if number[-1] != expected:
                return f"is not a valid {name}: the check letter should be {expected}"
            return None
    return None
