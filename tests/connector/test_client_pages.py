"""`client.pages` / `client.items` over real HTTP: each release's page envelope, read lazily."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from scdi.connector.errors import ServerError
from scdi.upstream.releases import RELEASES

from .loopback import Answer


def _query(seen) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return parse_qs(urlsplit(seen.path).query)


def _asked_pages(scripted, path: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(_query(s)["page"][0]) for s in scripted.seen if urlsplit(s.path).path == f"/api/{path}"]


def _items(first: int, count: int) -> list[dict[str, str]]:
    return [{"id": f"Item{n:07d}"} for n in range(first, first + count)]


def test_metadata_collections_follow_the_pager(scripted, client_for):
    url = scripted.url
    scripted.then(
        Answer(200, {"pager": {"page": 1, "pageCount": 3, "total": 5, "pageSize": 2,
                               "nextPage": f"{url}/api/programs?page=2"}, "programs": _items(1, 2)}),
        Answer(200, {"pager": {"page": 2, "pageCount": 3, "total": 5, "pageSize": 2,
                               "nextPage": f"{url}/api/programs?page=3", "prevPage": f"{url}/api/programs?page=1"},
                     "programs": _items(3, 2)}),
        Answer(200, {"pager": {"page": 3, "pageCount": 3, "total": 5, "pageSize": 2,
                               "prevPage": f"{url}/api/programs?page=2"}, "programs": _items(5, 1)}),
    )
    client = client_for(url)
    found = list(client.items("programs", params={"fields": "id", "filter": "code:like:SCDI_"}, page_size=2))
    assert [item["id"] for item in found] == [f"Item{n:07d}" for n in range(1, 6)]
    assert _asked_pages(scripted, "programs") == [1, 2, 3]
    first = _query(scripted.seen[0])
    assert first["pageSize"] == ["2"] and first["fields"] == ["id"] and "paging" not in first
    # metadata paging needs no release: nothing but the pages was asked
    assert len(scripted.seen) == 3


def _system_info(minor: str) -> Answer:
    return Answer(200, {"version": RELEASES[minor].example_version})


def test_tracker_on_2_42_follows_next_page(scripted, client_for):
    url = scripted.url
    scripted.then(
        _system_info("2.42"),
        Answer(200, {"pager": {"page": 1, "pageSize": 2, "nextPage": f"{url}/api/tracker/events?page=2"},
                     "events": _items(1, 2)}),
        Answer(200, {"pager": {"page": 2, "pageSize": 2, "prevPage": f"{url}/api/tracker/events?page=1"},
                     "events": _items(3, 2)}),  # a full page, but no nextPage: the last one
    )
    client = client_for(url)
    pages = list(client.pages("tracker/events", params={"program": "Kyzu6Eqr46f"}, page_size=2))
    assert [p.number for p in pages] == [1, 2] and pages[-1].last
    assert [len(p.items) for p in pages] == [2, 2]
    assert _asked_pages(scripted, "tracker/events") == [1, 2]


@pytest.mark.parametrize("minor", ["2.41", "2.40"])
def test_tracker_without_next_page_stops_at_a_short_page(scripted, client_for, minor):
    envelope = RELEASES[minor].tracker_page_envelope
    key = "instances" if envelope == "instances" else "trackedEntities"

    def page(number: int, items: list[dict[str, str]]) -> Answer:
        fields = {"page": number, "pageSize": 3}
        body = {**fields, key: items} if envelope == "instances" else {"pager": fields, **fields, key: items}
        return Answer(200, body)

    scripted.then(_system_info(minor), page(1, _items(1, 3)), page(2, _items(4, 1)))
    client = client_for(scripted.url)
    found = list(client.items("tracker/trackedEntities", params={"trackedEntityType": "jSpQsMth1l8"}, page_size=3))
    assert len(found) == 4
    assert _asked_pages(scripted, "tracker/trackedEntities") == [1, 2]
    assert client.page_envelope("tracker/trackedEntities") == envelope


def test_a_last_page_that_is_exactly_full_ends_at_the_empty_page(scripted, client_for):
    scripted.then(
        _system_info("2.41"),
        Answer(200, {"pager": {"page": 1, "pageSize": 2}, "page": 1, "pageSize": 2, "enrollments": _items(1, 2)}),
        Answer(200, {"pager": {"page": 2, "pageSize": 2}, "page": 2, "pageSize": 2, "enrollments": []}),
    )
    found = list(client_for(scripted.url).items("tracker/enrollments", page_size=2))
    assert len(found) == 2
    assert _asked_pages(scripted, "tracker/enrollments") == [1, 2]


def test_pages_are_fetched_as_they_are_read(scripted, client_for):
    scripted.then(Answer(200, {"pager": {"page": 1, "pageCount": 9, "pageSize": 1, "nextPage": "x"},
                               "dashboards": _items(1, 1)}))
    pages = client_for(scripted.url).pages("dashboards", page_size=1)
    assert scripted.seen == []
    assert next(pages).items == _items(1, 1)
    assert len(scripted.seen) == 1  # page 2 is not asked for until it is read


def test_a_server_that_ignores_the_page_parameter_is_an_error(scripted, client_for):
    same = Answer(200, {"pager": {"page": 1, "pageCount": 2, "pageSize": 1, "nextPage": "x"}, "options": _items(1, 1)})
    scripted.then(same, same)
    with pytest.raises(ServerError, match="page 1 when page 2"):
        list(client_for(scripted.url).items("options", page_size=1))


def test_paging_cannot_be_turned_off(client_for, scripted):
    client = client_for(scripted.url)
    with pytest.raises(ValueError, match="paging=false"):
        client.pages("programs", params={"paging": "false"})
    with pytest.raises(ValueError, match="page_size"):
        client.pages("programs", page_size=0)
    assert scripted.seen == []


def test_pages_against_the_sandbox(fresh_sandbox, client_for):
    client = client_for(fresh_sandbox.url)
    units = list(client.items("organisationUnits", params={"fields": "id", "level": 2}, page_size=7))
    everything = client.get("organisationUnits", params={"fields": "id", "level": 2, "paging": "false"})
    assert sorted(u["id"] for u in units) == sorted(u["id"] for u in everything["organisationUnits"])
    assert len(units) > 7  # more than one page
