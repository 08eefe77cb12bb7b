"""Search, on MariaDB and on SQLite alike: accents, case, word order, prefixes, typos, ids."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from clinic_patients.cli import migrate
from clinic_patients.config import PatientsSettings
from clinic_patients.main import create_app
from clinic_patients.schemas import PatientCreate
from clinic_patients.search import query
from clinic_patients.seed import seed_demo
from clinic_patients.service import create_patient

pytestmark = pytest.mark.integration

JOSE = "José García Núñez"
# Besides the 15 demo patients: near-namesakes for ranking, and 16 for the page boundary.
EXTRA = [
    {"firstName": "Joselito", "lastName": "Núñez Prieto"},
    {"firstName": "Marta", "lastName": "Garcés Ortiz"},
    {"firstName": "Raúl", "lastName": "Garrido Luna"},
    {"firstName": "Ana", "lastName": "Martín Gil", "status": "inactive"},
    {"firstName": "Gonzalo", "lastName": "Gonzalez Gonzalez", "phone": "+34 699 555 000"},
    *({"firstName": f"Paciente {n:02d}", "lastName": "Paginado Prueba"} for n in range(16)),
]


@pytest.fixture(scope="module", params=["mariadb", "sqlite"])
def search_api(
    request: pytest.FixtureRequest,
    database_url_factory: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
    redis_url: str,
    verifier: Any,
    token_factory: Any,
    api_class: type,
) -> Iterator[Any]:
    """An app on a database of its own holding the demo patients and ``EXTRA``."""
    if request.param == "mariadb":
        url = database_url_factory("patients_search")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'patients.sqlite'}"
    stream = f"events.patients.search-{uuid.uuid4().hex[:8]}"
    settings = PatientsSettings(
        app_env="test", database_url=url, redis_url=redis_url, events_stream=stream
    )
    migrate(settings)
    app = create_app(settings, verifier=verifier)
    services = app.state.services
    with services.new_session() as db:
        seed_demo(db, services.events, settings)
        for body in EXTRA:
            create_patient(db, services.events, PatientCreate.model_validate(body))
    with TestClient(app) as client:
        yield api_class(client, token_factory)
    redis.Redis.from_url(redis_url).delete(stream)


@pytest.mark.parametrize(
    "text", ["garcia", "GARCÍA", "García", "garcía", "nunez jose", "Núñez, José", "jose garcia"]
)
def test_names_match_in_any_case_accent_and_order(search_api, text: str) -> None:
    assert search_api.names(text)[0] == JOSE


def test_a_prefix_finds_every_word_starting_with_it(search_api) -> None:
    found = search_api.names("gar")
    assert set(found) == {JOSE, "Marta Garcés Ortiz", "Raúl Garrido Luna"}


def test_whole_words_rank_before_prefixes(search_api) -> None:
    assert search_api.names("nunez jose") == [JOSE, "Joselito Núñez Prieto"]
    assert search_api.names("jose")[:2] == [JOSE, "Joselito Núñez Prieto"]


def test_every_word_must_match(search_api) -> None:
    assert search_api.names("garcia prieto") == []
    assert search_api.names("jose zzz") == []


def test_without_fuzzy_a_typo_matches_nothing(search_api) -> None:
    assert search_api.names("garsia") == []
    assert search_api.names("Martines", fuzzy="false") == []


def test_fuzzy_tolerates_typos_and_ranks_by_similarity(search_api) -> None:
    assert search_api.names("garsia", fuzzy="true") == [JOSE]
    assert search_api.names("jose garsia", fuzzy="true")[0] == JOSE
    martines = search_api.names("Martines", fuzzy="true")
    # One edit from Martínez, two from Martín: the Martínez come first.
    assert martines == ["Lucía Fernández Martínez", "Javier Martínez Sánchez", "Ana Martín Gil"]


def test_fuzzy_still_finds_whole_words_and_prefixes_first(search_api) -> None:
    assert search_api.names("gonzalez", fuzzy="true")[0] == "Gonzalo Gonzalez Gonzalez"
    # Both are prefix matches, so they rank alike and go by surname: Garcés, García.
    assert search_api.names("garc", fuzzy="true") == ["Marta Garcés Ortiz", JOSE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678", JOSE),
        ("12345678z", JOSE),
        ("12.345.678-Z", JOSE),
        ("x1234567", "Mohamed El Amrani"),
        ("612 345", JOSE),
        ("+34 612 345 678", JOSE),
        ("612345678", JOSE),
        ("jose.garcia@", JOSE),
        ("JOSE.GARCIA@EXAMPLE.ES", JOSE),
    ],
)
def test_tax_id_phone_and_email_prefixes(search_api, text: str, expected: str) -> None:
    assert search_api.names(text) == [expected]


def test_identifiers_do_not_match_in_the_middle(search_api) -> None:
    assert search_api.names("345678") == []
    assert search_api.names("garcia@") == []


def test_status_filters_search_and_listing(search_api) -> None:
    assert search_api.names("carmen", status="inactive") == ["Carmen Muñoz Álvarez"]
    assert search_api.names("carmen", status="active") == ["María del Carmen Rodríguez López"]
    assert "Ana Martín Gil" not in search_api.names("martin", status="active")
    inactive = search_api.names(status="inactive", itemsPerPage=100)
    assert inactive == ["Ana Martín Gil", "Carmen Muñoz Álvarez"]


def test_listing_is_by_surname_then_first_name_ignoring_accents(search_api) -> None:
    names = search_api.names(itemsPerPage=6)
    assert names == [
        "Elena Castro Iglesias",
        "Mohamed El Amrani",
        "Iker Etxeberria Goikoetxea",
        "Lucía Fernández Martínez",
        "Marta Garcés Ortiz",
        JOSE,
    ]


def test_pagination_at_the_15_16_boundary(search_api) -> None:
    first = search_api.search("paginado").json()
    second = search_api.search("paginado", page=2).json()
    sixteen = search_api.search("paginado", itemsPerPage=16).json()

    assert len(first["member"]) == 15
    assert first["view"]["next"] == "/api/patients?search=paginado&page=2&itemsPerPage=15"
    assert [m["firstName"] for m in second["member"]] == ["Paciente 15"]
    assert second["view"]["next"] is None
    assert second["view"]["previous"].endswith("page=1&itemsPerPage=15")
    assert len(sixteen["member"]) == 16
    assert sixteen["view"]["next"] is None


@pytest.mark.parametrize(
    ("text", "fuzzy"),
    [("paginado", "false"), ("a", "false"), ("gar", "true"), ("pa prueba", "false")],
)
def test_pages_stitch_together_without_gaps_or_repeats(search_api, text: str, fuzzy: str) -> None:
    whole = search_api.names(text, fuzzy=fuzzy, itemsPerPage=30)
    pages = [search_api.names(text, fuzzy=fuzzy, itemsPerPage=4, page=n) for n in range(1, 9)]
    assert [name for page in pages for name in page] == whole


@pytest.mark.parametrize(
    ("text", "fuzzy"),
    [
        ("jose nunez", False),
        ("pa prueba", False),
        ("maria carmen", False),
        ("j garcia", False),
        ("jose garsia", True),
        ("paciente paginad", True),
    ],
)
def test_streamed_and_scored_plans_agree(search_api, monkeypatch, text: str, fuzzy: bool) -> None:
    scored = search_api.names(text, fuzzy=str(fuzzy).lower(), itemsPerPage=30)
    monkeypatch.setattr(query, "SCORED_CAP", 0)  # every word counts as common: stream
    streamed = search_api.names(text, fuzzy=str(fuzzy).lower(), itemsPerPage=30)
    assert streamed == scored
    assert scored


def test_text_without_letters_or_digits_finds_nothing(search_api) -> None:
    assert search_api.names("¡¿--?!") == []
    assert len(search_api.names("   ", itemsPerPage=100)) == 36  # blank: the plain listing
