"""Officials' and leaders' figures from the server's analytics (`scdi report`)."""

from scdi.connector.report.figures import DEFAULT_CODES, FigureDef, figure_defs
from scdi.connector.report.publish import PublishResult, RequestOutcome, publish
from scdi.connector.report.query import Figure, ReportRequest, ReportResult, run_report
from scdi.connector.report.refresh import refresh_analytics

__all__ = ["DEFAULT_CODES", "Figure", "FigureDef", "PublishResult", "ReportRequest", "ReportResult",
           "RequestOutcome", "figure_defs", "publish", "refresh_analytics", "run_report"]
