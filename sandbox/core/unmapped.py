"""Paths no controller maps: which `/api/NN/...` paths a release maps, and the container's 404
(and its 500 exception report for an Error no handler answers, `exception_report`, the 406
of a `sendError(406, …)`, `not_acceptable`, and the 400 of a `sendError(400, …)`,
`bad_request`).

Versioned paths. 2.41.9 and 2.42.5 `webapi/mvc/CustomRequestMappingHandlerMapping.java`
(`#getMappingForMethod`, `#getVersions`: 2.41.9 :48-131, 2.42.5 :61-155) add `/api/NN/...`
patterns only to the methods of controllers with `@ApiVersion` (found on the class, its
superclasses or the method); `{DEFAULT, ALL}`, what the served controllers carry, is the bare
path and every `DhisApiVersion` but ALL, 28 to 42 (`common/DhisApiVersion.java`, 2.41.9 :46-62,
2.42.5 :48-64). The served controllers without it are `PingController` (`/api/ping`, 2.41.9
:39, 2.42.5 :43) and `IndexController` (`/api`, `/api/resources`). 2.43.1 has no
`@ApiVersion`: `webapi/filter/ApiVersionFilter.java` (:78-103),
mapped after Spring Security (`servlet/DhisWebApiWebAppInitializer.java` :160-162), rewrites
`getRequestURI` of `/api/{28-43}/...` to `/api/...` for every controller
(`Release.api_versions`, `api_version_filter`, `unversioned_paths`).

The 404. Spring Security answers first (401 without credentials), then:
- 2.41.9 (Spring 5.3.39, the DispatcherServlet mapped at `/api/*`, `DhisWebApiWebAppInitializer`
  :106, no resource handler): `DispatcherServlet#noHandlerFound` calls `sendError(404)` without
  a message (`throwExceptionIfNoHandlerFound` stays false: nothing in dhis-2 sets it);
- 2.42.5 / 2.43.1 (Spring 6.2.8, the DispatcherServlet at `/*`, :121): `security/config/WebMvcConfig
  #addResourceHandlers` (2.42.5 :161-169, 2.43.1 :140-147) maps `/**` to static resources at the
  lowest precedence, so an unmapped path of any method reaches `ResourceHttpRequestHandler
  #handleRequest`, which throws `NoResourceFoundException` ("No static resource <path within
  the `/**` pattern>.") before it checks the method. `CrudControllerAdvice
  #servletExceptionHandler` (2.42.5 :505-507, 2.43.1 :506-508) is its closest handler and
  rethrows it, so `ExceptionHandlerExceptionResolver` gives up and `DefaultHandlerExceptionResolver
  #handleErrorResponse` calls `sendError(404, message)`.
The container writes the page: no error page is registered (no web.xml; the jib
`conf/server.xml` of both images and `web/tomcat/Main.java` keep the Host's default
`ErrorReportValve`), so Tomcat's status report in English (its locale for a request without
Accept-Language), `text/html;charset=utf-8`, `Content-Language: en`, the message HTML-escaped
(`/` as `&#47;`) and the server info of the image's Tomcat (`Release.unmapped_error_page`: the
2.41.9 image `tomcat:9.0.111-jre17`, `dhis-web/dhis-web-portal/pom.xml` :17; 2.42.5 / 2.43.1
`dhis-web-server/pom.xml` :18, Tomcat 11.0.20). A Tomcat whose `server.xml` hides the report or
the server info answers less: the source cannot say which Tomcat a deployment runs.
"""

from __future__ import annotations

import re

from werkzeug.wrappers import Request, Response

from scdi.upstream.releases import Release

# a version is ASCII digits (the mappings' `/api/NN` and ApiVersionFilter's Java `\d`)
_VERSION = re.compile(r"^/api/(\d{2})(?=/|$)", re.ASCII)
_NOT_FOUND = ("Not Found", "The origin server did not find a current representation for the "
                           "target resource or is not willing to disclose that one exists.")
# org.apache.catalina.util.TomcatCSS (the same at 9.0.111 and 11.0.20)
_CSS = ("body {font-family:Tahoma,Arial,sans-serif;} "
        "h1, h2, h3, b {color:white;background-color:#525D76;} h1 {font-size:22px;} "
        "h2 {font-size:16px;} h3 {font-size:14px;} p {font-size:12px;} a {color:black;} "
        ".line {height:1px;background-color:#525D76;border:none;}")


def versioned(path: str) -> bool:
    return _VERSION.match(path) is not None


def raw_path(request: Request) -> str:
    """`HttpServletRequest#getRequestURI`: the path as sent, still percent-encoded."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path
    return str(raw).split("?", 1)[0]


def version_mapped(path: str, route: str, release: Release, raw: str | None = None) -> bool:
    """False for an `/api/NN/...` request path the release maps to no controller (`route`: the
    path without its version, as the sandbox routes it; `raw`, the path as sent, when known).
    The mappings match the decoded path, so `/api/4%32/…` is `/api/42/…` on 2.41/2.42; 2.43's
    ApiVersionFilter matches `getRequestURI`, still encoded (:89), so there it names no
    version, and the decoded `/api/42/…` is no mapping."""
    match = _VERSION.match(path)
    if match is None:
        return True
    low, high = release.api_versions
    if not low <= int(match.group(1)) <= high:
        return False
    if release.api_version_filter:
        # ApiVersionFilter's pattern wants a slash after the version, in the path as sent
        sent_path = path if raw is None else raw
        sent = _VERSION.match(sent_path)
        return sent is not None and sent_path.startswith("/", sent.end())
    return route not in release.unversioned_paths


def answer(request: Request, release: Release) -> Response:
    """The 404 page the container writes for a path no controller maps."""
    message = ""
    if release.unmapped_static_resource:
        message = f"No static resource {_within_pattern(_seen_path(request, release))}."
    return _status_report(404, _NOT_FOUND, message, release.unmapped_error_page)


_SERVER_ERROR = ("Internal Server Error", "The server encountered an unexpected condition that "
                                         "prevented it from fulfilling the request.")


def exception_report(error: str, release: Release) -> Response:
    """The 500 page the container writes for a java.lang.Error no handler answered (`error`,
    its `toString`): the DispatcherServlet's ServletException, Spring 6.2.8's "Handler dispatch
    failed: <error>" (`DispatcherServlet#doDispatch`), Spring 5.3.39's NestedServletException
    "Handler dispatch failed; nested exception is <error>" (`spring6_messages`), which
    CrudControllerAdvice#servletExceptionHandler rethrows (2.41.9 :497-499, 2.42.5 :505-507,
    2.43.1 :506-508) to `StandardWrapperValve`; `ErrorReportValve#report` shows the first line of
    its message. Not modelled: the report's Exception and Root Cause stack traces."""
    joint = ": " if release.spring6_messages else "; nested exception is "
    return _status_report(500, _SERVER_ERROR, f"Handler dispatch failed{joint}{error}",
                          release.unmapped_error_page, kind="Exception Report",
                          note="The full stack trace of the root cause is available in the "
                               "server logs.")


# Tomcat 11.0.20 `catalina/valves/LocalStrings.properties` http.406.reason / http.406.desc
_NOT_ACCEPTABLE = ("Not Acceptable", "The target resource does not have a current representation "
                                     "that would be acceptable to the user agent, according to "
                                     "the proactive negotiation header fields received in the "
                                     "request, and the server is unwilling to supply a default "
                                     "representation.")


def not_acceptable(message: str, release: Release) -> Response:
    """The 406 page the container writes for `sendError(406, message)`
    (`DefaultHandlerExceptionResolver#handleErrorResponse`, `core/string_negotiation.py`)."""
    return _status_report(406, _NOT_ACCEPTABLE, message, release.unmapped_error_page)


# Tomcat 9.0.111 / 11.0.20 `catalina/valves/LocalStrings.properties` http.400.reason / .desc
_BAD_REQUEST = ("Bad Request", "The server cannot or will not process the request due to "
                               "something that is perceived to be a client error (e.g., malformed "
                               "request syntax, invalid request message framing, or deceptive "
                               "request routing).")


def bad_request(message: str, release: Release) -> Response:
    """The 400 page the container writes for `sendError(400, message)`: Spring's own binding
    refusals (`core/spring_params.py#missing_parameter`), ServletExceptions that
    CrudControllerAdvice#servletExceptionHandler rethrows for DefaultHandlerExceptionResolver."""
    return _status_report(400, _BAD_REQUEST, message, release.unmapped_error_page)


def _seen_path(request: Request, release: Release) -> str:
    """The path as Spring reads it: raw (still percent-encoded), without `;` parameters
    (`UrlPathHelper#removeSemicolonContent`), after ApiVersionFilter's rewrite."""
    path = re.sub(r";[^/]*", "", raw_path(request))
    if release.api_version_filter:
        match = _VERSION.match(path)
        if match and release.api_versions[0] <= int(match.group(1)) <= release.api_versions[1] \
                and path.startswith("/", match.end()):
            path = "/api" + path[match.end():]
    return path


def _within_pattern(path: str) -> str:
    """`PathPattern#extractPathWithinPattern` for `/**`: no leading or trailing slashes,
    adjacent ones as one."""
    return re.sub(r"/{2,}", "/", path).strip("/")


def _escape(text: str) -> str:
    """Tomcat's `Escape#htmlElementContent`."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("'", "&#39;"),
                         ('"', "&quot;"), ("/", "&#47;")):
        text = text.replace(char, entity)
    return text


def _status_report(status: int, phrases: tuple[str, str], message: str,
                   server_info: str, kind: str = "Status Report", note: str = "") -> Response:
    """`ErrorReportValve#report`, showReport and showServerInfo on (their defaults): a status
    report, or (`kind`, `note`) an exception report without its stack traces."""
    reason, description = phrases
    title = f"HTTP Status {status} – {reason}"
    told = f"<p><b>Message</b> {_escape(message)}</p>" if message else ""
    noted = f"<p><b>Note</b> {note}</p>" if note else ""
    page = (f'<!doctype html><html lang="en"><head><title>{title}</title>'
            f'<style type="text/css">{_CSS}</style></head><body><h1>{title}</h1>'
            f'<hr class="line" /><p><b>Type</b> {kind}</p>{told}'
            f'<p><b>Description</b> {description}</p>{noted}<hr class="line" />'
            f"<h3>{server_info}</h3></body></html>")
    return Response(page, status=status, content_type="text/html;charset=utf-8",
                    headers={"Content-Language": "en"})
