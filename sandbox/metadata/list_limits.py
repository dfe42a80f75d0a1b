"""A metadata list's page size of 0 or less and its offset, as the database query meets them.

`GET /api/{plural}` turns `page`/`pageSize` into a `Pagination((page - 1) * pageSize,
pageSize)` unclamped (2.41.9 `webapi/utils/PaginationUtils.java#getPaginationData` :52-56,
2.42.5 `query/GetObjectListParams.java#getPagination` :116-119, 2.43.1 :128-131; Java `int`
arithmetic), which `DefaultQueryService#getQueryFromUrl` puts on the query (2.41.9 :105-108,
2.42.5 :88-91, 2.43.1 :84-87) and `JpaCriteriaQueryEngine#query` on the JPA query,
`setFirstResult` before `setMaxResults` (2.41.9 :132-133 / :176-177, 2.42.5 :101-102, 2.43.1
:114-115). Hibernate 5.6.15.Final (all three tags' `hibernate.version`):
`AbstractProducedQuery#setFirstResult` refuses a negative offset ("first-result value cannot be
negative : <n>"), `#setMaxResults` a negative size ("max-results cannot be negative"), both
IllegalArgumentExceptions that `CrudControllerAdvice` answers 400 with the message (2.41.9
:501-508, 2.42.5 :520-525, 2.43.1 :521-526); `#doList` answers a size of 0 with no rows. The
pager is built apart (`Pager#<init>`: `max(pageSize, 1)`, a count query for the total), so a
size of 0 writes an empty page under a pager of size 1. The `int` product wraps for a large
page: `page=50000000` (default size 50) is the offset -1794967346, refused as above, and
`page=1073741825&pageSize=4` the offset 0, the first rows under a pager of page 1.

Not modelled: a query the planner sends partly to `InMemoryQueryEngine` (a filter on a
property that is not persisted), paged by `PagerUtils#pageCollection` instead. A controller that
pages through its own Pager first keeps the clamped page (`Release.metadata_list_self_paged`:
2.41.9 UserController#makePager); 2.41.9's ProgramController, InterpretationController,
MapViewController and MessageConversationController build their query with
`PaginationUtils#getPaginationData` too.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import query as mq


def _java_int(value: int) -> int:
    """A Java `int` product: wrapped to 32 bits."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def limit(ctx: Ctx, plural: str, rows: list[Any], everything: list[Any]) -> list[Any]:
    """The page `mq.page` cut from `everything`, or none for a size of 0; a negative offset
    or size refused; an offset the `int` product wrapped read where it points."""
    paging, number, size = mq.paging_params(ctx)
    if not paging or plural in ctx.release.metadata_list_self_paged:
        return rows
    offset = (max(number, 1) - 1) * size
    first = _java_int(offset)
    if first < 0:
        raise webmessage.fail(webmessage.error(
            400, f"first-result value cannot be negative : {first}"))
    if size < 0:
        raise webmessage.fail(webmessage.error(400, "max-results cannot be negative"))
    if size == 0:
        return []
    return rows if first == offset else everything[first:first + size]
