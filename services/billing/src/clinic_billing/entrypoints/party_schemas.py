"""Bodies of the customers, catalogue, clinic settings and billable sessions (camelCase).

Money crosses the wire as a string with two decimals; a request may send a string or an
integer, never a float (0.1 has no exact float), and never more than two decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BeforeValidator,
    EmailStr,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    computed_field,
)

from clinic_billing.domain.money import parse_amount, parse_decimal
from clinic_shared import phones
from clinic_shared.errors import FieldError
from clinic_shared.schemas import CamelInput, CamelModel, MultiLine, SingleLine, UtcDatetime

CustomerKind = Literal["person", "company", "insurer"]
Language = Literal["es", "en"]
SessionStatus = Literal["uninvoiced", "invoiced", "reversed"]


def _as_amount(value: Any) -> Decimal:
    try:
        return parse_amount(value, "amount")
    except FieldError as error:
        raise ValueError(error.message) from None


def _as_percent(value: Any) -> Decimal:
    try:
        return parse_decimal(value, "percent", places=2)
    except FieldError as error:
        raise ValueError(error.message) from None


_DECIMAL_IN = {
    "anyOf": [{"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,2})?$"}, {"type": "integer"}]
}
_DECIMAL_OUT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}

MoneyIn = Annotated[
    Decimal, BeforeValidator(_as_amount), WithJsonSchema({**_DECIMAL_IN, "examples": ["40.00"]})
]
PercentIn = Annotated[
    Decimal, BeforeValidator(_as_percent), WithJsonSchema({**_DECIMAL_IN, "examples": ["21"]})
]
# Two decimals out, whatever scale the Decimal has ("40.00", "0.00", "21.00").
TwoDecimals = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({**_DECIMAL_OUT, "examples": ["40.00"]}),
]


def _blank_to_none(value: Any) -> Any:
    # Forms send "" for an untouched optional field: that means "no value", not an error.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _lower(value: str) -> str:
    return value.lower()


Blank = BeforeValidator(_blank_to_none)
Name = Annotated[
    SingleLine, StringConstraints(min_length=1, max_length=200), AfterValidator(_collapse_spaces)
]
Text100 = Annotated[SingleLine, StringConstraints(max_length=100), AfterValidator(_collapse_spaces)]
Address = Annotated[
    SingleLine, StringConstraints(min_length=1, max_length=300), AfterValidator(_collapse_spaces)
]
Email = Annotated[EmailStr, StringConstraints(max_length=254), AfterValidator(_lower)]
Phone = Annotated[SingleLine, StringConstraints(max_length=25, pattern=r"^\+?[0-9(][0-9 ().\-/]*$")]
PostalCode = Annotated[
    str, StringConstraints(max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")
]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), BeforeValidator(_upper)]
# Room for separators ("12.345.678-Z"); the check letter is judged by python-stdnum after.
TaxIdText = Annotated[SingleLine, StringConstraints(min_length=1, max_length=30)]
ServiceCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z0-9_-]{1,30}$"), BeforeValidator(_upper)
]
AppointmentType = Annotated[SingleLine, StringConstraints(min_length=1, max_length=50)]
Footer = Annotated[MultiLine, StringConstraints(max_length=1000)]


class CustomerBody(CamelInput):
    """A customer as the front desk edits it (POST and PUT)."""

    kind: CustomerKind
    name: Name
    tax_id: Annotated[TaxIdText | None, Blank] = None
    address: Annotated[Address | None, Blank] = None
    postal_code: Annotated[PostalCode | None, Blank] = None
    city: Annotated[Text100 | None, Blank] = None
    province: Annotated[Text100 | None, Blank] = None
    country: Country = "ES"
    email: Annotated[Email | None, Blank] = None
    phone: Annotated[Phone | None, Blank] = None
    language: Language = "es"
    # The patient this customer is (a person paying their own sessions).
    patient_id: UUID | None = None
    # For a person: the insurer customer who pays their sessions.
    insurer_id: UUID | None = None
    active: bool = True


class CustomerPublic(CamelModel):
    """A customer with its insurer's name and what its issued invoices still owe."""

    id: UUID
    kind: CustomerKind
    name: str
    tax_id: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    country: str
    email: str | None
    phone: str | None
    language: Language
    patient_id: UUID | None
    insurer_id: UUID | None
    insurer_name: str | None
    active: bool
    outstanding: TwoDecimals
    version: int

    # Read-only: computed on the way out, never part of a POST or PUT body (CustomerBody).
    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str | None:
        """The phone grouped to read ("910 00 00 00", "+44 20 7946 0958"), or as stored."""
        return phones.grouped(self.phone)


class CatalogueItemBody(CamelInput):
    """A catalogue item's editable fields (PUT); ``exemption`` exactly when the rate is 0."""

    name_es: Name
    name_en: Name
    price: MoneyIn
    vat_rate: PercentIn
    exemption: Literal["health_care"] | None = None
    # The scheduling appointment type whose completed sessions this item charges.
    appointment_type: Annotated[AppointmentType | None, Blank] = None
    active: bool = True


class CatalogueItemCreate(CatalogueItemBody):
    """A new catalogue item (POST): its code (stored upper case) and fields."""

    code: ServiceCode


class CatalogueItemPublic(CamelModel):
    """A catalogue item."""

    code: str
    name_es: str
    name_en: str
    price: TwoDecimals
    vat_rate: TwoDecimals
    exemption: str | None
    appointment_type: str | None
    active: bool
    version: int


class CatalogueList(CamelModel):
    """Every catalogue item (a clinic has tens: no pages)."""

    member: list[CatalogueItemPublic]


class AgreedPriceBody(CamelInput):
    """An insurer's price for one catalogue item."""

    service_code: ServiceCode
    price: MoneyIn


class AgreedPricePublic(CamelModel):
    """An insurer's price for one catalogue item."""

    service_code: str
    price: TwoDecimals


AgreedPrices = Annotated[list[AgreedPriceBody], Field(max_length=500)]


class SettingsBody(CamelInput):
    """The clinic's settings as an admin saves them (the whole set)."""

    legal_name: Name
    tax_id: TaxIdText
    address: Address
    email: Annotated[Email | None, Blank] = None
    phone: Annotated[Phone | None, Blank] = None
    # A data:image/(png|jpeg|svg+xml);base64, URL up to 256 KB (checked by the use case).
    logo: Annotated[str | None, Blank] = None
    invoice_footer: Annotated[Footer | None, Blank] = None
    default_language: Language = "es"
    verifactu_enabled: bool = True
    qr_environment: Literal["production", "test"] = "production"


class SettingsPublic(CamelModel):
    """The clinic's settings and their version (the ETag a PUT must send)."""

    legal_name: str
    tax_id: str
    address: str
    email: str | None
    phone: str | None
    logo: str | None
    invoice_footer: str | None
    default_language: Language
    verifactu_enabled: bool
    qr_environment: Literal["production", "test"]
    version: int


class BillableSessionPublic(CamelModel):
    """A completed appointment as billing charges it."""

    appointment_id: UUID
    patient_id: UUID
    patient_name: str | None
    practitioner_id: UUID
    appointment_type: str | None
    service_code: str | None
    description: str
    starts_at: UtcDatetime
    price: TwoDecimals
    vat_rate: TwoDecimals
    exemption: str | None
    payer_id: UUID | None
    payer_name: str | None
    status: SessionStatus
    invoice_id: UUID | None
