"""Favorites and subscribers (access/favorites.py)."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN

CONFLICT = {"httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR", "errorCode": "E1004"}


def _call(method: str, url: str, path: str) -> requests.Response:
    return requests.request(method, f"{url}{path}", auth=ADMIN, timeout=10)


def _create(url: str, plural: str, body: dict[str, object]) -> str:
    answer = requests.post(f"{url}/api/{plural}", json=body, auth=ADMIN, timeout=10)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["response"]["uid"])


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_favorite_and_subscriber_as_abstract_crud_controller_answers(sandbox_factory,
                                                                      version: str) -> None:
    # AbstractCrudController#setAsFavorite/#removeAsFavorite/#subscribe/#unsubscribe (2.41.9
    # :379/:586/:400/:607, 2.42.5 :359/:529/:382/:552, 2.43.1 :344/:509/:368/:534): the type first
    # (Schema#isFavoritable / #isSubscribable, ConflictException E1004), then the object
    url = sandbox_factory(version=version).url
    dashboard = _create(url, "dashboards", {"name": "Bảng yêu thích"})
    chart = _create(url, "maps", {"name": "Bản đồ theo dõi"})

    def ok(method: str, path: str, message: str) -> None:
        answer = _call(method, url, path)
        assert (answer.status_code, answer.json()) == (200, {
            "httpStatus": "OK", "httpStatusCode": 200, "status": "OK", "message": message}), path

    ok("POST", f"/api/dashboards/{dashboard}/favorite",
       f"Object '{dashboard}' set as favorite for user 'admin'")
    stored = _call("GET", url, f"/api/dashboards/{dashboard}?fields=favorites").json()
    assert stored == {"favorites": ["xE7jOejl9FI"]}
    ok("POST", f"/api/dashboards/{dashboard}/favorite",
       f"Object '{dashboard}' set as favorite for user 'admin'")  # a set: still one
    assert _call("GET", url, f"/api/dashboards/{dashboard}?fields=favorites").json() == stored
    ok("DELETE", f"/api/dashboards/{dashboard}/favorite",
       f"Object '{dashboard}' removed as favorite for user 'admin'")
    assert _call("GET", url, f"/api/dashboards/{dashboard}?fields=favorites").json() == {"favorites": []}
    ok("POST", f"/api/maps/{chart}/subscriber", f"User 'admin' subscribed to object '{chart}'")
    assert _call("GET", url, f"/api/maps/{chart}?fields=subscribers").json() == {
        "subscribers": ["xE7jOejl9FI"]}
    ok("DELETE", f"/api/maps/{chart}/subscriber",
       f"User 'admin' removed as subscriber of object '{chart}'")

    # a dashboard has favorites but is no SubscribableObject; a data element neither, even
    # when the object does not exist (the schema is asked first)
    for method, path, message in (
            ("POST", f"/api/dashboards/{dashboard}/subscriber", "Objects of this class cannot be subscribed to"),
            ("DELETE", "/api/dataElements/abcdefghijk/favorite", "Objects of this class cannot be set as favorite"),
            ("POST", "/api/dataElements/abcdefghijk/subscriber", "Objects of this class cannot be subscribed to")):
        answer = _call(method, url, path)
        assert (answer.status_code, answer.json()) == (409, {**CONFLICT, "message": message}), path
    missing = _call("POST", url, "/api/maps/abcdefghijk/favorite")
    assert (missing.status_code, missing.json()["message"]) == (
        404, "Map with id abcdefghijk could not be found.")
    odd = _call("POST", url, "/api/maps/not-a-uid/favorite").status_code
    assert odd == (400 if version == "2.43" else 404)
