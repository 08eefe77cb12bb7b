"""Gateway settings: the shared base plus upstreams, the route table, timeouts and the SPA."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from clinic_shared.settings import ServiceSettings

# Upstream name -> port offset from ``upstream_base_port`` (identity 8001 … records 8005).
UPSTREAM_PORT_OFFSETS = {"identity": 1, "patients": 2, "scheduling": 3, "billing": 4, "records": 5}

# Path prefix -> upstream name; the longest matching prefix wins and ``{x}`` matches one segment.
# A context's routes are added here when its service lands.
DEFAULT_ROUTES = {
    "/api/login": "identity",
    "/api/token": "identity",
    "/api/logout": "identity",
    "/api/me": "identity",
    "/api/users": "identity",
    "/api/practitioners": "identity",
    "/api/session-settings": "identity",
    "/.well-known/jwks.json": "identity",
    "/api/appointments": "scheduling",
    "/api/appointment-types": "scheduling",
    "/api/schedule": "scheduling",
    "/api/practitioners/{x}/working-hours": "scheduling",
    "/api/practitioners/{x}/absences": "scheduling",
    "/api/patients": "patients",
    "/api/invoices": "billing",
    "/api/customers": "billing",
    "/api/catalogue": "billing",
    "/api/billable-sessions": "billing",
    "/api/billing-settings": "billing",
    "/api/records": "records",
    "/api/episodes": "records",
    "/api/record-templates": "records",
    "/api/measures": "records",
    "/api/patients/{x}/clinical-history.pdf": "records",
}

# ``translations/`` at the root of a source checkout (config.py is gateway/src/clinic_gateway/):
# the SPA and the gateway share it. An installed package is elsewhere, so images set
# GATEWAY_TRANSLATIONS_DIR.
CHECKOUT_TRANSLATIONS_DIR = Path(__file__).resolve().parents[3] / "translations"

# Reachable without an access token (exact paths); everything else routed needs a valid JWT.
DEFAULT_PUBLIC_PATHS = (
    "/api/login",
    "/api/token/refresh",
    "/api/logout",
    "/.well-known/jwks.json",
)


class GatewaySettings(ServiceSettings):
    """Environment variables prefixed ``GATEWAY_`` (``GATEWAY_ROUTES``, ``GATEWAY_UPSTREAMS``…)."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", frozen=True)

    service_name: str = "gateway"
    # Name -> base URL, or several replicas' base URLs separated by commas (balanced round
    # robin, see ``upstream_pool``). Empty means every context on 127.0.0.1 at
    # ``upstream_base_port`` + its offset.
    upstreams: dict[str, str] = Field(default_factory=dict)
    upstream_base_port: int = Field(default=8000, ge=1, le=65535 - 5)
    # How often a balanced upstream's replicas are asked /readyz (one out of rotation returns
    # when it answers 200 again).
    upstream_probe_seconds: float = Field(default=1.0, gt=0)
    routes: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ROUTES))
    public_paths: tuple[str, ...] = DEFAULT_PUBLIC_PATHS
    dashboard_contexts: tuple[str, ...] = (
        "identity",
        "patients",
        "scheduling",
        "billing",
        "records",
    )
    upstream_timeout: float = Field(default=10.0, gt=0)
    upstream_connect_timeout: float = Field(default=2.0, gt=0)
    upstream_max_connections: int = Field(default=200, ge=1)
    # Below uvicorn's 5 s keep-alive so the gateway never reuses a socket the service is closing.
    upstream_keepalive_seconds: float = Field(default=4.0, gt=0)
    dashboard_timeout: float = Field(default=1.5, gt=0)
    health_timeout: float = Field(default=2.0, gt=0)
    reset_timeout: float = Field(default=30.0, gt=0)
    openapi_cache_seconds: float = Field(default=30.0, ge=0)
    frontend_dist: Path = Path("frontend/dist")
    translations_dir: Path = CHECKOUT_TRANSLATIONS_DIR
    # Addresses/networks of the reverse proxy in front (nginx). Only a peer listed here may state
    # the client (X-Forwarded-For, its last hop) and the scheme (X-Forwarded-Proto). Empty: the
    # gateway faces clients directly and believes no forwarded header.
    trusted_proxies: tuple[str, ...] = ()
    # Bearer token for GET /metrics and /readyz (the scraper's); unset: both answer 404.
    ops_token: SecretStr | None = None
    # Strict-Transport-Security max-age on answers to requests that came over HTTPS; 0 disables.
    hsts_max_age_seconds: int = Field(default=31_536_000, ge=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # raises ValueError naming the entry
        return value

    @field_validator("ops_token", mode="before")
    @classmethod
    def _empty_ops_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("ops_token")
    @classmethod
    def _ops_token_is_long(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("ops_token must be at least 16 characters")
        return value

    @model_validator(mode="after")
    def _default_upstreams_and_check_routes(self) -> GatewaySettings:
        if not self.upstreams:
            local = {
                name: f"http://127.0.0.1:{self.upstream_base_port + offset}"
                for name, offset in UPSTREAM_PORT_OFFSETS.items()
            }
            object.__setattr__(self, "upstreams", local)
        for prefix, upstream in self.routes.items():
            if upstream not in self.upstreams:
                raise ValueError(f"route {prefix!r} names unknown upstream {upstream!r}")
            if not prefix.startswith("/"):
                raise ValueError(f"route {prefix!r} must start with '/'")
        for name in self.upstreams:
            urls = self.upstream_urls(name)
            if not urls:
                raise ValueError(f"upstream {name!r} lists no URL")
            for url in urls:
                if not url.startswith(("http://", "https://")):
                    raise ValueError(f"upstream {name!r} needs http(s) URLs, got {url!r}")
        return self

    def unsafe_for_production(self) -> list[str]:
        """The gateway keeps no data, so the base's database and Redis checks do not apply."""
        return []

    def upstream_urls(self, upstream: str) -> tuple[str, ...]:
        """The base URLs of the upstream's replicas (its comma-separated list)."""
        listed = (url.strip().rstrip("/") for url in self.upstreams[upstream].split(","))
        return tuple(url for url in listed if url)

    @property
    def upstream_replica_urls(self) -> dict[str, tuple[str, ...]]:
        """Every upstream's replica URLs."""
        return {name: self.upstream_urls(name) for name in self.upstreams}

    @property
    def routed_upstreams(self) -> list[str]:
        """Upstreams the route table sends traffic to (readiness, OpenAPI and resets ask these)."""
        return list(dict.fromkeys(self.routes.values()))
