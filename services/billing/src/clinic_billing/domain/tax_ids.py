"""Tax ids of the issuer and the customers: NIF (DNI), NIE, CIF or an EU VAT number.

Validated with python-stdnum (``stdnum.es.dni``/``nie``/``cif``, ``stdnum.eu.vat``), which
knows the check letters and digits; a wrong one is a 422 naming the field.
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
