"""edustat's own calls to the Prefect API: a server that is busy writing is asked again within milliseconds, not seconds.

A Prefect server on SQLite (the local server edustat starts, and the test harness) answers 503 when its database
is locked by its own event and task-run writers: a transaction that read before another one wrote cannot write
(SQLITE_BUSY_SNAPSHOT, which SQLite's busy timeout does not wait out). That happens once or twice in a run,
on the concurrency slot and its holder record. Prefect's client retries a 503 only after 2**n seconds (2 s the first
time): on the sample that was half of a run's time. ``api_client`` asks again after 20 ms, doubling up to about
1.3 s in all (``BUSY_WAITS_S``); a server still busy after that gets Prefect's own retries, as before.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from prefect.client.orchestration import SyncPrefectClient, get_client

SERVICE_UNAVAILABLE = 503
BUSY_WAITS_S = (0.02, 0.04, 0.08, 0.16, 0.32, 0.64)
"""The pauses before asking a busy server again (seconds): six more tries within about 1.3 s."""


class BusyRetryTransport(httpx.HTTPTransport):
    """An HTTP transport that asks again, after ``BUSY_WAITS_S``, while the server answers 503; then hands on its answer."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The server's answer to ``request``: the first one that is not 503, or the last one."""
        response = super().handle_request(request)
        for wait_s in BUSY_WAITS_S:
            if response.status_code != SERVICE_UNAVAILABLE:
                break
            response.close()
            time.sleep(wait_s)
            response = super().handle_request(request)
        return response


@contextmanager
def api_client() -> Iterator[SyncPrefectClient]:
    """A synchronous Prefect client (the API of the current settings) that rides out a busy server quickly."""
    from prefect.settings import PREFECT_API_URL

    # Without an API URL Prefect serves in process (an ASGI transport of its own): nothing to ride out there.
    api_url = PREFECT_API_URL.value()
    httpx_settings = {"transport": BusyRetryTransport(verify=_tls_verify(api_url))} if api_url else None
    with get_client(sync_client=True, httpx_settings=httpx_settings) as client:
        yield client


def _tls_verify(api_url: str) -> ssl.SSLContext | bool:
    # The transport replaces the one Prefect's client would build, so it verifies as that one does; plain HTTP (a
    # local server) needs no certificates, whose loading costs about 20 ms a client.
    from prefect.settings import PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY

    if not api_url.startswith("https:"):
        return False
    if PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value():
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    import certifi

    return ssl.create_default_context(cafile=PREFECT_API_SSL_CERT_FILE.value() or certifi.where())
