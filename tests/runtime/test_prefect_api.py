"""edustat's Prefect client transport: a 503 (a server whose SQLite database is locked) is asked again within milliseconds."""

from __future__ import annotations

import httpx
import pytest

from runtime import prefect_api
from runtime.prefect_api import BusyRetryTransport


def _answers(monkeypatch: pytest.MonkeyPatch, codes: list[int]) -> tuple[list[int], list[float]]:
    """Make the underlying HTTP transport answer ``codes`` in turn; returns the codes sent and the pauses taken."""
    sent: list[int] = []
    pauses: list[float] = []
    remaining = iter(codes)

    def answer(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        code = next(remaining)
        sent.append(code)
        return httpx.Response(code, request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", answer)
    monkeypatch.setattr(prefect_api.time, "sleep", pauses.append)
    return sent, pauses


def test_a_busy_answer_is_asked_again_after_short_pauses_until_it_is_not_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    sent, pauses = _answers(monkeypatch, [503, 503, 201, 200])
    response = BusyRetryTransport().handle_request(httpx.Request("DELETE", "http://127.0.0.1:1/api/variables/name/x"))
    assert response.status_code == 201
    assert sent == [503, 503, 201]
    assert pauses == [0.02, 0.04]


def test_other_answers_are_handed_on_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    sent, pauses = _answers(monkeypatch, [423, 200])
    response = BusyRetryTransport().handle_request(httpx.Request("POST", "http://127.0.0.1:1/api/v2/concurrency_limits/increment-with-lease"))
    assert (response.status_code, sent, pauses) == (423, [423], [])


def test_a_server_busy_throughout_gets_seven_tries_in_about_a_second_and_a_quarter_then_its_503_is_handed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    sent, pauses = _answers(monkeypatch, [503] * 10)
    response = BusyRetryTransport().handle_request(httpx.Request("GET", "http://127.0.0.1:1/api/health"))
    assert response.status_code == 503
    assert len(sent) == 7
    assert sum(pauses) == pytest.approx(0.02 + 0.04 + 0.08 + 0.16 + 0.32 + 0.64)


def test_the_transport_verifies_an_https_server_as_prefects_own_client_would() -> None:
    import ssl

    from prefect.settings import PREFECT_API_TLS_INSECURE_SKIP_VERIFY, temporary_settings

    assert prefect_api._tls_verify("http://127.0.0.1:4200/api") is False  # a local server: no certificates to load
    verified = prefect_api._tls_verify("https://prefect.example/api")
    assert isinstance(verified, ssl.SSLContext) and verified.verify_mode == ssl.CERT_REQUIRED and verified.check_hostname
    with temporary_settings(updates={PREFECT_API_TLS_INSECURE_SKIP_VERIFY: True}):
        skipped = prefect_api._tls_verify("https://prefect.example/api")
    assert isinstance(skipped, ssl.SSLContext) and skipped.verify_mode == ssl.CERT_NONE and not skipped.check_hostname


def test_the_client_uses_the_transport_when_an_api_url_is_set() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}), prefect_api.api_client() as client:
        assert isinstance(client._client._transport, BusyRetryTransport)
