"""Metadata controllers guarded on the class by `@RequiresAuthority` (2.42.5, 2.43.1:
OAuth2ClientController F_OAUTH2_CLIENT_MANAGE, OAuth2AuthorizationController and
OAuth2AuthorizationConsentController ALL): AuthorityInterceptor#preHandle refuses every handler
method of the class with AccessDeniedException, which CrudControllerAdvice answers 403 without
errorCode, before canRead (E1006), the path UID or the body are looked at. 2.41.9's
OAuth2ClientController carries no annotation: the schema's READ authority, E1006."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

VIEWERS = (("dashboard.viewer", "district"), ("province.officer", "district"))
CLIENT_UID = "oacClient01"
E1006 = "You don't have the proper permissions to read objects of this type."


def _interceptor(authority: str) -> str:
    return f"Access is denied, requires one Authority from [{authority}]"


def _call(url: str, method: str, path: str, auth: tuple[str, str],
          content_type: str | None = "application/json", body: str = "{}") -> requests.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return requests.request(method, f"{url}{path}", auth=auth, headers=headers,
                            data=body if content_type else None, timeout=10)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_reading_oauth2_clients_asks_the_controllers_authority_first(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    url = sandbox_factory(version=version).url
    # 2.43 binds the path as a UID after the interceptor: `1bcdefghijk` is refused by it first
    paths = ["/api/oAuth2Clients", f"/api/oAuth2Clients/{CLIENT_UID}",
             f"/api/oAuth2Clients/{CLIENT_UID}/name", "/api/oAuth2Clients/1bcdefghijk"]
    for auth in VIEWERS:
        for path in paths:
            answer = _call(url, "GET", path, auth, content_type=None)
            body = answer.json()
            assert answer.status_code == 403, (path, answer.text)
            if version == "2.41":
                if path.endswith("1bcdefghijk"):
                    continue  # a String at 2.41: canRead, the same E1006
                assert (body["message"], body.get("errorCode")) == (E1006, "E1006"), path
            else:
                assert (body["message"], body.get("errorCode")) == (
                    _interceptor("F_OAUTH2_CLIENT_MANAGE"), None), path
                assert body["httpStatus"] == "Forbidden" and body["status"] == "ERROR"
    listed = _call(url, "GET", "/api/oAuth2Clients", ADMIN, content_type=None)
    assert listed.status_code == 200, listed.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_every_oauth2_client_handler_is_guarded_on_2_42_and_later(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    url = sandbox_factory(version=version).url
    one = f"/api/oAuth2Clients/{CLIENT_UID}"
    calls = [("POST", "/api/oAuth2Clients", "application/json"),
             ("PUT", one, "application/json"),
             ("PATCH", one, "application/json-patch+json"),
             ("DELETE", one, None),
             ("POST", f"{one}/favorite", None),
             ("DELETE", f"{one}/subscriber", None),
             ("POST", f"{one}/redirectUris/oacItem0001", None),
             ("POST", f"{one}/redirectUris", "application/json"),
             ("PUT", f"{one}/translations", "application/json")]
    for method, path, content_type in calls:
        answer = _call(url, method, path, VIEWERS[0], content_type,
                       body="[]" if content_type == "application/json-patch+json" else "{}")
        guarded = (answer.status_code, answer.json().get("message"), answer.json().get("errorCode"))
        if version == "2.41":
            assert guarded[1] != _interceptor("F_OAUTH2_CLIENT_MANAGE"), (method, path)
        else:
            assert guarded == (403, _interceptor("F_OAUTH2_CLIENT_MANAGE"), None), (
                method, path, answer.text)


@pytest.mark.parametrize("version", ["2.42", "2.43"])
def test_the_handler_is_chosen_before_the_interceptor_runs(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # No handler, no interceptor: an id outside `{uid:[a-zA-Z0-9]{11}}` is the 405 of the
    # unmatched PUT/DELETE `/{uid}`, a media type no `consumes` takes Spring's 415
    url = sandbox_factory(version=version).url
    bad_id = _call(url, "GET", "/api/oAuth2Clients/abc", VIEWERS[0], content_type=None)
    assert bad_id.status_code == 405, bad_id.text
    plain = _call(url, "PUT", f"/api/oAuth2Clients/{CLIENT_UID}", VIEWERS[0], "text/plain")
    assert plain.status_code == 415, plain.text


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_authority_lets_a_client_manager_through(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    running = sandbox_factory(version=version)
    setup = post_metadata(running.url, {
        "userRoles": [{"id": "roleOauthM1", "name": "Synthetic client role",
                       "authorities": ["F_OAUTH2_CLIENT_MANAGE"]}],
        "users": [{"id": "usrOauthM01", "username": "client.manager",
                   "password": "Synthetic-2025!", "firstName": "Client", "surname": "Manager",
                   "userRoles": [{"id": "roleOauthM1"}]}]})
    assert setup.status_code == 200, setup.text
    answer = _call(running.url, "GET", "/api/oAuth2Clients", ("client.manager", "Synthetic-2025!"),
                   content_type=None)
    assert answer.status_code == 200, answer.text
    assert answer.json()["oAuth2Clients"] == []


@pytest.mark.parametrize("version", ["2.42", "2.43"])
@pytest.mark.parametrize("plural", ["oAuth2Authorizations", "oAuth2AuthorizationConsents"])
def test_the_read_only_oauth2_controllers_need_all(
        sandbox_factory: Callable[..., RunningSandbox], version: str, plural: str) -> None:
    url = sandbox_factory(version=version).url
    for path in (f"/api/{plural}", f"/api/{plural}/oacAuthor01", f"/api/{plural}/oacAuthor01/id"):
        answer = _call(url, "GET", path, VIEWERS[1], content_type=None)
        assert (answer.status_code, answer.json()["message"], answer.json().get("errorCode")) == (
            403, _interceptor("ALL"), None), path
    # an id the read-only controller maps no handler for: the container's 404, no interceptor
    unmapped = _call(url, "GET", f"/api/{plural}/abc", VIEWERS[1], content_type=None)
    assert unmapped.status_code == 404, unmapped.text
    listed = _call(url, "GET", f"/api/{plural}", ADMIN, content_type=None)
    assert listed.status_code == 200, listed.text
