"""Who may use the web view: loopback by default, a secret otherwise, CSRF on the form."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from crawler.web.access import Access, AccessError, authorized, host_allowed, resolve_access
from crawler.web.app import build_app
from store.config import WebConfig
from store.db import session_scope
from store.models import AlertFeedback
from tests.web.conftest import BASE, csrf_of
from tests.web.story import WebStory


def basic(password: str, user: str = "desk") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "[::1]"])
def test_loopback_needs_no_secret(host: str) -> None:
    assert resolve_access(WebConfig(), host, {}) == Access(loopback=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "newsroom.example"])
def test_any_other_bind_refuses_to_start_without_a_secret(host: str) -> None:
    with pytest.raises(AccessError, match="password_env"):
        resolve_access(WebConfig(), host, {})


def test_a_named_secret_variable_must_be_set() -> None:
    with pytest.raises(AccessError, match="CW_WEB_PASSWORD.*not set"):
        resolve_access(WebConfig(password_env="CW_WEB_PASSWORD"), "0.0.0.0", {})
    access = resolve_access(WebConfig(password_env="CW_WEB_PASSWORD", token_env="CW_TOKEN"),
                            "0.0.0.0", {"CW_WEB_PASSWORD": "s3cret", "CW_TOKEN": "t0ken"})
    assert access == Access(loopback=False, password="s3cret", token="t0ken")


@pytest.mark.parametrize(("header", "ok"), [
    (None, False), ("", False), ("Basic " + "!!!", False), (basic("wrong"), False),
    (basic("s3cret"), True), (basic("s3cret", user=""), True), ("Bearer t0ken", True),
    ("Bearer s3cret", False), ("Digest s3cret", False),
])
def test_the_password_or_the_token_authorises(header: str | None, ok: bool) -> None:
    assert authorized(header, Access(loopback=False, password="s3cret", token="t0ken")) is ok


@pytest.mark.parametrize(("host", "ok"), [
    ("127.0.0.1:8080", True), ("localhost:8080", True), ("[::1]:8080", True),
    ("evil.example:8080", False), ("127.0.0.1.evil.example", False), (None, False),
])
def test_on_loopback_only_loopback_host_names_are_served(host: str | None, ok: bool) -> None:
    assert host_allowed(host, Access(loopback=True)) is ok


def test_a_rebinding_host_header_is_refused(client: TestClient) -> None:
    response = client.get("/alerts", headers={"host": "attacker.example"})
    assert response.status_code == 421
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_with_a_password_every_route_asks_for_it(story_engine: tuple[Engine, WebStory]) -> None:
    engine, _ = story_engine
    app = build_app(engine, Access(loopback=False, password="s3cret"), engine)
    with TestClient(app, base_url="http://newsroom.example") as c:
        for path in ("/", "/alerts", "/export/alerts.csv", "/static/app.css"):
            response = c.get(path)
            assert response.status_code == 401 and "Basic" in response.headers["www-authenticate"]
        assert c.get("/alerts", headers={"authorization": basic("s3cret")}).status_code == 200


def test_the_feedback_form_needs_its_csrf_token(client: TestClient, story: WebStory,
                                                story_engine: tuple[Engine, WebStory]) -> None:
    url = f"/alerts/{story.change.id}/feedback"
    form = {"verdict": "wrong", "reason": "misread the figure"}
    assert client.post(url, data=form).status_code == 403  # no token at all
    token = csrf_of(client)
    assert client.post(url, data={**form, "csrf": "x" * 43}).status_code == 403
    # A cross-site form carries no SameSite=Strict cookie: the token alone is refused too.
    bare = TestClient(client.app, base_url=BASE)
    assert bare.post(url, data={**form, "csrf": token}).status_code == 403
    engine, _ = story_engine
    with session_scope(engine) as session:
        assert session.scalars(select(AlertFeedback)).all() == []
    response = client.post(url, data={**form, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/alerts?marked=")


def test_the_csrf_cookie_is_strict_and_http_only(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie


def test_feedback_never_redirects_off_the_site(client: TestClient, story: WebStory) -> None:
    token = csrf_of(client)
    for back in ("//evil.example/alerts", "https://evil.example", "/alerts\\\\@evil"):
        response = client.post(f"/alerts/{story.change.id}/feedback", follow_redirects=False,
                               data={"verdict": "wrong", "reason": "r", "csrf": token,
                                     "back": back})
        assert response.headers["location"].startswith("/alerts?marked=")
