"""The `order` and `filter` parameters of the change log endpoints, as each release reads them.

dhis2-core:
- `order` is `List<OrderCriteria>` (`field[:asc|desc]`, comma separated) checked by
  `RequestParamsValidator#validateOrderParams(order, supportedFieldNames)` (2.41.9
  `webapi/controller/tracker/export/RequestParamsValidator.java` :250-273, 2.42.5
  `webapi/controller/tracker/RequestParamsValidator.java` :224-247, 2.43.1 :225-248): a field
  outside the store's `ORDERABLE_FIELDS` is 400 "order parameter is invalid. Cannot order by
  '<fields>'. Supported fields are '<sorted>'. …", a repeated one 400 "… '<fields>' are
  repeated. …" (the offending fields joined in HashSet order);
- orderable fields: 2.41.9 `tracker/export/{trackedentity/JdbcTrackedEntity,event/JdbcEvent}
  ChangeLogStore.ORDERABLE_FIELDS` only `createdAt`, and `#sortExpressions` reads the first
  order; 2.42.5 `HibernateTrackedEntityChangeLogStore` `createdAt`, `username`, `attribute` and
  `HibernateEventChangeLogStore` `createdAt`, `username`, `change` (2.43.1 the same in
  `dhis-tracker/…`), and the operation params builder keeps the last order
  (`TrackedEntityChangeLogOperationParams.Builder#orderBy` sets one `Order`);
- `filter` (2.42.5/2.43.1 only: 2.41.9's `ChangeLogRequestParams` has no such field, so it is
  not read) is one `field:eq:value`, `RequestParamsValidator#validateFilter` (2.42.5 :253-297,
  2.43.1 :254-298): `String#split(":")` not 3 parts → "Invalid filter => …", a field outside
  `FILTERABLE_FIELDS` → "Invalid filter field. …", an operator other than `eq` (any case) →
  "Invalid filter operator. …", a UID field with a value that is not a UID → "Incorrect filter
  value provided as UID: …"; the supported field names are printed in HashSet order.
  Filterable: tracked entities `username`, `attribute` (UID); events `username`,
  `dataElement` (UID), `field`.
"""

from __future__ import annotations

from dataclasses import dataclass

from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.java_hash import hash_set_order
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.objects import is_uid
from scdi.sandbox.tracker.export.order_criteria import bind_order
from scdi.sandbox.tracker.export.query import bad

_ORDERABLE = {"trackedEntity": ("createdAt", "username", "attribute"),
              "event": ("createdAt", "username", "change")}
# name → whether the value is a UID
_FILTERABLE = {"trackedEntity": {"username": False, "attribute": True},
               "event": {"username": False, "dataElement": True, "field": False}}


@dataclass(frozen=True)
class ChangeLogQuery:
    order: tuple[str, str] | None      # (field, "asc" | "desc"); None: created desc
    filter: tuple[str, str] | None     # (field, value)


def _order(ctx: Ctx, kind: str) -> tuple[str, str] | None:
    # Spring binds `List<OrderCriteria> order` before the validator runs
    specs = bind_order(ctx.request.args.getlist("order"))
    if not specs:
        return None
    supported = (_ORDERABLE[kind] if ctx.release.tracker_change_log_filters
                 else ("createdAt",))
    suffix = (f"Supported fields are '{', '.join(sorted(supported))}'. All of which can at "
              "most be specified once.")
    names = [name for name, _ in specs]
    invalid = [n for n in hash_set_order(names) if n not in supported]
    if invalid:
        raise bad(f"order parameter is invalid. Cannot order by '{', '.join(invalid)}'. {suffix}")
    repeated = [n for n in hash_set_order(names) if names.count(n) > 1]
    if repeated:
        raise bad(f"order parameter is invalid. '{', '.join(repeated)}' are repeated. {suffix}")
    return specs[-1] if ctx.release.tracker_change_log_filters else specs[0]


def _filter(ctx: Ctx, kind: str) -> tuple[str, str] | None:
    raw = ctx.request.args.get("filter")
    if raw is None or not ctx.release.tracker_change_log_filters:
        return None
    fields = _FILTERABLE[kind]
    names = ", ".join(hash_set_order(fields))
    parts = java_split(":", raw)
    if len(parts) != 3:
        raise bad(f"Invalid filter => {raw}. Expected format is [field]:eq:[value]. Supported "
                   f"fields are '{names}'. Only one of them can be specified at a time")
    name, operator, value = parts
    if name not in fields:
        raise bad(f"Invalid filter field. Supported fields are '{names}'. Only one of them can "
                   "be specified at a time")
    if operator.lower() != "eq":
        raise bad("Invalid filter operator. The only supported operator is 'eq'.")
    if fields[name] and not is_uid(value):
        raise bad(f"Incorrect filter value provided as UID: {value}. UID must be an "
                   "alphanumeric string of 11 characters starting with a letter.")
    return name, value


def read(ctx: Ctx, kind: str) -> ChangeLogQuery:
    """`ChangeLogRequestParamsMapper#map`: the order is validated before the filter."""
    return ChangeLogQuery(order=_order(ctx, kind), filter=_filter(ctx, kind))
