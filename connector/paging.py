"""DHIS2's page envelopes, read one way whatever the release.

A collection answer carries its items and where the page stands, in one of the envelopes the
release table names (`scdi.upstream.releases.Release.tracker_page_envelope`):

* `pager`: `{"pager": {page, pageSize, [total, pageCount], [prevPage], [nextPage]}, "<key>": [...]}`:
  every metadata collection (`common/Pager.java`) and the tracker exporters from 2.42
  (`view/Page.java`), where `nextPage` is there exactly when another page is;
* `pager+flat`: the tracker exporters of 2.41, the same `pager` plus its fields repeated at the
  top level, and no `nextPage`;
* `instances`: the tracker exporters of 2.40 (`PagingWrapper`): flat page fields and the items
  under `instances`.

Without a `nextPage` or a page count (the tracker exporters count only with `totalPages=true`,
which costs the server a count query), a page shorter than the page size is the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.errors import ServerError, UnsupportedServer
from scdi.upstream.releases import Release

Envelope = Literal["pager", "pager+flat", "instances"]
ENVELOPES: tuple[Envelope, ...] = ("pager", "pager+flat", "instances")
DEFAULT_PAGE_SIZE = 50
# More pages than any real collection has (100,000 pages of 50 = 5 million objects; the
# connector's tracker reads use pages of 1,000): past it, a pager is broken, not long.
MAX_PAGES = 100_000


class Page(BaseModel):
    """One page of a collection."""

    number: int
    size: int
    items: list[dict[str, Any]] = Field(default_factory=list)
    total: int | None = None
    page_count: int | None = None
    next_page: str | None = None
    envelope: Envelope = "pager"

    @property
    def last(self) -> bool:
        if self.page_count is not None:
            return self.number >= self.page_count
        if self.envelope == "pager":
            return self.next_page is None
        return len(self.items) < self.size


def read_page(body: Any, key: str, envelope: Envelope, *, asked: int, size: int, where: str) -> Page:
    """The page in an answer to `where` (for messages), which asked for page `asked`."""
    if envelope not in ENVELOPES:
        raise ValueError(f"unknown page envelope {envelope!r}")
    if not isinstance(body, dict):
        raise ServerError(f"{where} answered without a page of {key}.")
    if envelope == "instances":
        pager: Any = body
        items = body.get("instances")
    else:
        pager = body.get("pager")
        items = body.get(key)
        if not isinstance(pager, dict):
            if isinstance(items, list) and "page" not in body:
                # Paging was not applied (a collection DHIS2 never pages): everything at once.
                return Page(number=asked, size=size, items=_objects(items), page_count=asked, envelope=envelope)
            raise ServerError(f"{where} answered without a pager.")
    if not isinstance(items, list):
        raise ServerError(f"{where} answered a page without its {key!r} list.")
    number = _int(pager.get("page"), asked)
    if number != asked:
        raise ServerError(
            f"{where} answered page {number} when page {asked} was asked for.",
            hint="The server does not page this collection as DHIS2 does; report it with the server's version.")
    next_page = pager.get("nextPage")
    return Page(
        number=number, size=_int(pager.get("pageSize"), size), items=_objects(items),
        total=_optional_int(pager.get("total")), page_count=_optional_int(pager.get("pageCount")),
        next_page=next_page if isinstance(next_page, str) and next_page else None, envelope=envelope)


def envelope_for(path: str, release: Callable[[], Release]) -> Envelope:
    """The envelope of GET `path`: the release's for the tracker exporters (`release` is asked
    only then), `pager` for everything else."""
    if not path.lstrip("/").startswith("tracker/"):
        return "pager"
    row = release()
    for known in ENVELOPES:
        if row.tracker_page_envelope == known:
            return known
    raise UnsupportedServer(f"the release table has no page envelope {row.tracker_page_envelope!r} for DHIS2 "
                            f"{row.minor}")


def walk_pages(
    get: Callable[[str, Mapping[str, Any]], Any],
    path: str,
    key: str | None,
    params: Mapping[str, Any] | None,
    envelope: Envelope,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_pages: int | None = None,
) -> Iterator[Page]:
    """Ask `get(path, params)` for page 1, 2, … until the last page (lazily: one request per
    page the caller reads). `key` defaults to the path's last part. A pager that never says
    "last" stops with an error after `max_pages` pages (default MAX_PAGES) instead of looping."""
    if str((params or {}).get("paging", "true")).lower() == "false":
        raise ValueError("paging through a collection: leave paging=false out of params")
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    name = key or path.rstrip("/").rsplit("/", 1)[-1]
    return _walk(get, path, name, dict(params or {}), envelope, page_size, max_pages or MAX_PAGES)


def _walk(get: Callable[[str, Mapping[str, Any]], Any], path: str, key: str, params: dict[str, Any],
          envelope: Envelope, page_size: int, max_pages: int) -> Iterator[Page]:
    number = 1
    while True:
        if number > max_pages:
            where = f"GET /api/{path.lstrip('/')}"
            raise ServerError(f"{where} kept answering full pages: stopped after {max_pages} pages.",
                              hint="The server's pager never reaches a last page; check a proxy or cache in front "
                                   "of DHIS2.")
        body = get(path, {**params, "page": number, "pageSize": page_size})
        page = read_page(body, key, envelope, asked=number, size=page_size, where=f"GET /api/{path.lstrip('/')}")
        yield page
        if page.last or not page.items:
            return
        number += 1


def _objects(items: list[Any]) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)]


def _int(value: Any, default: int) -> int:
    found = _optional_int(value)
    return default if found is None else found


def _optional_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


__all__ = ["DEFAULT_PAGE_SIZE", "ENVELOPES", "Envelope", "Page", "envelope_for", "read_page", "walk_pages"]
