"""DashboardCheck, the last check of the import chain for dashboards.

dhis2-core `dxf2/metadata/objectbundle/validation/DashboardCheck.java` (2.41.9 `User`, 2.42.5 =
2.43.1 `UserDetails`, the same checks):
- for each STORED dashboard of the bundle, each item's embedded object (`DashboardItem
  #getEmbeddedItem`: visualization, eventChart, eventReport, eventVisualization, map) and link
  items (`#getLinkItems`: users, else reports, else resources) must be in the preheat (E4061)
  and readable by the importing user (E4069); args the item's uid, its type and the object's
  uid, on `DashboardItem`. Not a removal: the dashboard is still updated, but the report counts
  one ignored;
- a layout of more than 60 columns is E4070 (args the dashboard uid and the count), a removal;
  E4070 is raised only here at 2.41.9, 2.42.5 and 2.43.1 (`feedback/ErrorCode.java`);
- both reports are `new ObjectReport(klass, 0, uid)`: index 0, so they land on (and merge into)
  the type report's first object report.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.core import java_double
from scdi.sandbox.metadata import preheat
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report
from scdi.sandbox.metadata.query import dashboard_item_type

_ITEM_CLASS = "org.hisp.dhis.dashboard.DashboardItem"
_EMBEDDED = (("visualization", "visualizations"), ("eventChart", "eventCharts"),
             ("eventReport", "eventReports"), ("eventVisualization", "eventVisualizations"),
             ("map", "maps"))
_LINKS = (("users", "users"), ("reports", "reports"), ("resources", "documents"))
LAYOUT_COLUMN_LIMIT = 60


def _targets(item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    embedded = next(((plural, item[key]) for key, plural in _EMBEDDED
                     if isinstance(item.get(key), dict)), None)
    if embedded:
        out.append(embedded)
    links = next(((plural, item[key]) for key, plural in _LINKS if item.get(key)), None)
    if links:
        out += [(links[0], ref) for ref in links[1] if isinstance(ref, dict)]
    return out


def _item_errors(ctx: Context, dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    for item in dashboard.get("dashboardItems") or []:
        if not isinstance(item, dict):
            continue
        kind = dashboard_item_type(item)
        for plural, ref in _targets(item):
            found = preheat.get(ctx, plural, ref)
            code = "E4061" if found is None else \
                "E4069" if not acl.can_read(ctx.user, plural, found, ctx.minor) else None
            if code:
                errors.append(error_report(code, _ITEM_CLASS,
                                           [item.get("id"), kind, ref.get("id")]))
    return errors


def check(ctx: Context, result: TypeResult, items: list[Item], selected: list[Item]) -> None:
    if result.info.singular != "dashboard":
        return
    for item in items:
        if item.persisted:
            errors = _item_errors(ctx, item.obj)
            if errors:
                result.report_at_first(item, errors, removal=False)
    for item in selected:
        columns = (item.obj.get("layout") or {}).get("columns") if isinstance(
            item.obj.get("layout"), dict) else None
        if isinstance(columns, list) and len(columns) > LAYOUT_COLUMN_LIMIT:
            # the count is an Integer: `args` "61", MessageFormat "1,000", errorProperties 61
            count = len(columns)
            result.report_at_first(item, [error_report(
                "E4070", result.info.klass, [item.uid, count], properties=[item.uid, count],
                message_args=[item.uid, java_double.message_format(count)])], removal=True)
