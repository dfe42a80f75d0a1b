"""The headers the security chain writes on every answer it passes.

dhis2-core `webapi/security/config/DhisWebApiWebSecurityConfig.java#setHttpHeaders` (2.41.9
:684-692, also called for the 2.41.9 web-commons chain; 2.42.5 :273-281; 2.43.1 :277-285):
`headers().defaultsDisabled().contentTypeOptions().and().xssProtection().and()
.httpStrictTransportSecurity()`. So no Cache-Control, Pragma, Expires or X-Frame-Options from
Spring Security; `X-Content-Type-Options: nosniff`; `X-XSS-Protection` with the default of the
release's Spring Security (`Release.xss_protection_header`: 5.8.16 at 2.41.9 "1; mode=block",
6.5.1 / 6.5.10 at 2.42.5 / 2.43.1 "0"); HSTS only on secure requests, never on the sandbox's
plain-HTTP loopback. The filter runs before authentication, so 401s and login redirects carry
them too; `/api/ping` (`web.ignoring()`) does not pass the chain. A header the answer already
has is kept (the writers add theirs only when absent).

Before it, `webapi/filter/CspFilter.java#doFilterInternal` (`#configureCspFilter`: 2.41.9
:559-566, 2.42.5 :488-495, 2.43.1 :475-482; `csp.enabled` is on by default, so no
X-Frame-Options): `Content-Security-Policy: script-src 'none'; ` when the request URL is one of
`Release.csp_script_none_urls`, then `Content-Security-Policy: frame-ancestors 'self';` (the
system's CORS whitelist, empty here, would follow `'self'`).
"""

from __future__ import annotations

import re

from werkzeug.wrappers import Request, Response

from scdi.upstream.releases import Release


def apply(response: Response, release: Release, request: Request) -> Response:
    # HttpServletRequest#getRequestURL: scheme, host, port and path, no query string
    url = request.base_url
    # a controller's own policy (`HeaderUtils#setSecurityHeaders` is a setHeader) replaces the
    # filter's
    if "Content-Security-Policy" not in response.headers:
        if any(re.fullmatch(p, url, re.ASCII) for p in release.csp_script_none_urls):
            response.headers.add("Content-Security-Policy", "script-src 'none'; ")
        response.headers.add("Content-Security-Policy", "frame-ancestors 'self';")
    for name, value in (("X-Content-Type-Options", "nosniff"),
                        ("X-XSS-Protection", release.xss_protection_header)):
        if name not in response.headers:
            response.headers[name] = value
    return response
