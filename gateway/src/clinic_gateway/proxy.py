"""Forwarding requests to the services over one pooled keep-alive client, bodies streamed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from types import SimpleNamespace
from typing import Any

import aiohttp
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from yarl import URL

from clinic_gateway.config import GatewaySettings
from clinic_gateway.forwarding import client_view
from clinic_gateway.proxy_headers import downstream_response_headers, upstream_request_headers
from clinic_gateway.upstream_pool import Replica, UpstreamPools
from clinic_shared.problems import ProblemError
from clinic_shared.request_id import current_request_id

log = logging.getLogger("clinic.gateway.proxy")

# Bodies up to this size are read whole (cheaper); larger or unsized ones are streamed.
BUFFER_LIMIT = 1 << 20


# A pooled connection the service closed while it sat idle fails like this on its next use,
# before any byte of the answer arrives. Only then may a request be sent again (see forward()).
# The reset error is a connection whose reset (a killed process) arrived just as it was taken
# from the pool: the first write finds the transport closing.
_STALE_CONNECTION_ERRORS = (
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientOSError,
    aiohttp.ClientConnectionResetError,
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _safe_to_send_again(request: Request) -> bool:
    """A read, or a write carrying an Idempotency-Key (the service answers a repeat once)."""
    return request.method in _SAFE_METHODS or "idempotency-key" in request.headers


async def _on_connection_reused(
    _session: aiohttp.ClientSession,
    context: SimpleNamespace,
    _params: aiohttp.TraceConnectionReuseconnParams,
) -> None:
    if context.trace_request_ctx is not None:  # only forward() asks
        context.trace_request_ctx.reused = True


class UpstreamUnavailableError(Exception):
    """A service did not give a usable answer (down, slow, error status or bad JSON)."""


class UpstreamForbiddenError(Exception):
    """A service answered 403: it works, but the caller's role may not see this."""


def _target(scope: Mapping[str, Any]) -> str:
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    target = raw_path.decode("latin-1")
    return f"{target}?{query.decode('latin-1')}" if query else target


def _url(replica: Replica, target: str) -> URL:
    return URL(replica.url + target, encoded=True)


async def _request_body(request: Request) -> bytes | AsyncIterator[bytes] | None:
    length = request.headers.get("content-length")
    if length is None and "transfer-encoding" not in request.headers:
        return None
    if length is not None and length.isdigit() and int(length) <= BUFFER_LIMIT:
        return await request.body()
    return request.stream()


async def _relay(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.content.iter_any():
            yield chunk
    except (aiohttp.ClientError, TimeoutError) as exc:
        # Headers are gone already: abort the connection so the client sees a broken body.
        log.warning("upstream body broke off: %s", exc)
        raise
    finally:
        response.release()


class Upstreams:
    """One pooled keep-alive HTTP client shared by every call to the services' replicas."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._fresh_session: aiohttp.ClientSession | None = None
        self.pools = UpstreamPools(
            settings.upstream_replica_urls,
            probe_seconds=settings.upstream_probe_seconds,
            timeout=settings.health_timeout,
        )

    def _client_session(self, connector: aiohttp.TCPConnector) -> aiohttp.ClientSession:
        settings = self._settings
        reuse = aiohttp.TraceConfig(trace_config_ctx_factory=SimpleNamespace)
        reuse.on_connection_reuseconn.append(_on_connection_reused)
        return aiohttp.ClientSession(
            connector=connector,
            # A shared jar would hand one user's cookies to the next.
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent", "Content-Type"),
            timeout=aiohttp.ClientTimeout(
                total=None,
                sock_connect=settings.upstream_connect_timeout,
                sock_read=settings.upstream_timeout,
            ),
            trace_configs=[reuse],
        )

    async def start(self) -> None:
        """Open the connection pool (inside the running event loop)."""
        settings = self._settings
        self._session = self._client_session(
            aiohttp.TCPConnector(
                limit=settings.upstream_max_connections,
                keepalive_timeout=settings.upstream_keepalive_seconds,
            )
        )
        # Retries go here: a new connection each time, never one from the pool.
        self._fresh_session = self._client_session(aiohttp.TCPConnector(force_close=True))
        self.pools.start_probing(self._session, self._fresh_session)

    async def close(self) -> None:
        """Stop the readiness probes; close every pooled connection."""
        await self.pools.stop_probing()
        for session in (self._session, self._fresh_session):
            if session is not None:
                await session.close()
        self._session = self._fresh_session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The open client session."""
        if self._session is None:
            raise RuntimeError("Upstreams.start() was not awaited (lifespan not run)")
        return self._session

    @property
    def fresh_session(self) -> aiohttp.ClientSession:
        """The client session that opens a new connection for every request (retries)."""
        if self._fresh_session is None:
            raise RuntimeError("Upstreams.start() was not awaited (lifespan not run)")
        return self._fresh_session

    def url(self, upstream: str, target: str) -> URL:
        """The absolute URL of ``target`` (path + query, encoded) on the upstream's next replica."""
        return _url(self.pools[upstream].candidates()[0], target)

    async def forward(self, request: Request, upstream: str) -> Response:
        """Relay the request to a replica of ``upstream`` and its answer back.

        503 when no replica can be reached, 504 slow, 502 bad. A replica whose connection is
        refused is marked down and the next one tried, whatever the request (nothing was
        sent); one whose connection breaks before any answer likewise, but only for a request
        that is safe to send again.
        """
        view = client_view(request.scope, self._settings.trusted_proxies)
        headers = upstream_request_headers(
            request.scope["headers"],
            client_host=view.address,
            scheme=view.scheme,
            request_id=current_request_id(),
        )
        pool = self.pools[upstream]
        try:
            body = await _request_body(request)
            resendable = _safe_to_send_again(request) and isinstance(body, bytes | None)
            target = _target(request.scope)
            failure: Exception | None = None
            for replica in pool.candidates():
                try:
                    response = await self._send(
                        request.method, _url(replica, target), headers, body, resendable
                    )
                except aiohttp.ClientConnectorError as exc:
                    pool.mark_down(replica, exc)
                    failure = exc
                    continue
                except _STALE_CONNECTION_ERRORS as exc:
                    if not resendable:
                        raise
                    pool.mark_down(replica, exc)
                    failure = exc
                    continue
                pool.mark_answered()
                return await self._downstream(request, response)
            assert failure is not None  # a pool has at least one replica
            raise failure
        except aiohttp.ClientConnectorError as exc:
            log.warning("upstream %s unreachable: %s", upstream, exc)
            raise ProblemError(503, f"The {upstream} service is unavailable.") from exc
        except TimeoutError as exc:
            log.warning("upstream %s timed out", upstream)
            raise ProblemError(504, f"The {upstream} service did not answer in time.") from exc
        except aiohttp.ClientError as exc:
            log.warning("upstream %s failed: %s", upstream, exc)
            raise ProblemError(502, f"The {upstream} service gave no valid answer.") from exc

    async def _send(
        self,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        body: bytes | AsyncIterator[bytes] | None,
        resendable: bool,
    ) -> aiohttp.ClientResponse:
        """One replica's answer, once more on a new connection if a pooled one had gone stale."""
        attempt = SimpleNamespace(reused=False)
        try:
            return await self.session.request(
                method,
                url,
                headers=headers,
                data=body,
                allow_redirects=False,
                trace_request_ctx=attempt,
            )
        except _STALE_CONNECTION_ERRORS as exc:
            if not attempt.reused or not resendable:
                raise
            # The pooled connection failed before any byte of an answer came back: most
            # likely the service had closed it. That cannot be told apart from a service
            # that read the request and died, so only a request that is safe to repeat (a
            # read, or a write the service deduplicates by its Idempotency-Key) is sent
            # once more, on a new connection. A fresh connection failing, a streamed body
            # (already consumed) or an answer that had begun are never sent twice.
            log.info("%s closed a pooled connection (%s); retrying once", url.origin(), exc)
            return await self.fresh_session.request(
                method, url, headers=headers, data=body, allow_redirects=False
            )

    async def _downstream(self, request: Request, response: aiohttp.ClientResponse) -> Response:
        headers = downstream_response_headers(response.raw_headers)
        length = response.content_length
        bodiless = request.method == "HEAD" or response.status in (204, 304)
        relayed: Response
        if bodiless or (length is not None and length <= BUFFER_LIMIT):
            try:
                body = await response.read()
            finally:
                response.release()
            relayed = Response(body, status_code=response.status)
        else:
            relayed = StreamingResponse(_relay(response), status_code=response.status)
        relayed.raw_headers = headers
        return relayed

    async def get_json(
        self, upstream: str, path: str, *, timeout: float, headers: Mapping[str, str] | None = None
    ) -> Any:
        """GET a JSON document from ``upstream``; raises ``UpstreamUnavailableError`` otherwise."""
        try:
            async with await self._reach(
                upstream, "GET", path, headers=self._with_request_id(headers), timeout=timeout
            ) as response:
                if response.status == 403:
                    raise UpstreamForbiddenError(f"{upstream} refused the caller's role")
                if response.status != 200:
                    raise UpstreamUnavailableError(f"{upstream} answered {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise UpstreamUnavailableError(f"{upstream}: {type(exc).__name__} {exc}") from exc

    async def post(self, upstream: str, path: str, *, timeout: float) -> int:
        """POST without a body to ``upstream``; the status, or ``UpstreamUnavailableError``."""
        try:
            async with await self._reach(
                upstream, "POST", path, headers=self._with_request_id(None), timeout=timeout
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamUnavailableError(f"{upstream}: {type(exc).__name__} {exc}") from exc

    async def _reach(
        self, upstream: str, method: str, path: str, *, headers: dict[str, str], timeout: float
    ) -> aiohttp.ClientResponse:
        """The first replica of ``upstream`` that accepts the connection answers (its own calls)."""
        pool = self.pools[upstream]
        candidates = pool.candidates()
        for replica in candidates:
            try:
                response = await self.session.request(
                    method, _url(replica, path), headers=headers,
                    timeout=aiohttp.ClientTimeout(total=timeout),
                )  # fmt: skip
            except aiohttp.ClientConnectorError as exc:
                if replica is candidates[-1]:
                    raise
                pool.mark_down(replica, exc)
                continue
            pool.mark_answered()
            return response
        raise AssertionError("a pool has at least one replica")

    @staticmethod
    def _with_request_id(headers: Mapping[str, str] | None) -> dict[str, str]:
        merged = dict(headers or {})
        request_id = current_request_id()
        if request_id:
            merged["X-Request-ID"] = request_id
        return merged
