"""The WSGI application: control endpoints, faults, authentication, routing, errors.

It serves the features it is given (`core/feature.py`: their routes and URL converters, their
tables) and fills an empty store with the seed it is given; `sandbox/server.py` passes both.
Handlers raise `webmessage.HttpError` to answer with a WebMessage (CrudControllerAdvice's role
in DHIS2).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map
from werkzeug.wrappers import Request, Response

from scdi.sandbox.core import faults as faults_mod
from scdi.sandbox.core import security_headers, unmapped, webmessage
from scdi.sandbox.core.auth import Authenticator, AuthFailure, carries_credentials
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.feature import Feature
from scdi.sandbox.core.jobs import JobTable
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.upstream.releases import RELEASES, Release

log = logging.getLogger("scdi.sandbox")

ANONYMOUS = User(uid="", username="anonymous", authorities=frozenset(), superuser=False,
                 capture_org_units=(), search_org_units=(), view_org_units=(), user_groups=(),
                 user_roles=())
_VERSIONED = re.compile(r"^/api/\d{2}(/|$)", re.ASCII)  # Java's `\d`: ASCII digits
# Reachable without credentials: `/api/ping` is the only API path left out of the security
# chain (2.41.9 DhisWebCommonsWebSecurityConfig, 2.42.5/2.43.1 DhisWebApiWebSecurityConfig
# `web.ignoring()`), `/**/loginConfig` is permitAll; `/api/system/ping` is not, which is why
# dxf2/sync/SyncUtils sends credentials with it.
PUBLIC_PATHS = frozenset({"/api/ping", "/api/loginConfig"})


class Seed(Protocol):
    """Fills an empty store with what a fresh sandbox holds (`sandbox/seed.py#seed`)."""

    def __call__(self, store: Store, tree: str = ..., version: str = ...) -> None: ...


def _ignored_by_security(request_path: str, path: str) -> bool:
    """`web.ignoring()` of `/api/ping`: an AntPathRequestMatcher without a method or wildcard,
    so every method of exactly that path as sent (2.41.9 DhisWebCommonsWebSecurityConfig :133,
    2.42.5 DhisWebApiWebSecurityConfig :287-289, 2.43.1 :291-293). A versioned ping,
    `/api/ping.json` and `/api/ping/` (which Spring's suffix and trailing-slash matching still
    route to PingController) pass the chain and so need credentials."""
    return path == "/api/ping" and request_path == "/api/ping"


def _public(request_path: str, path: str) -> bool:
    if path == "/api/ping":
        return _ignored_by_security(request_path, path)
    return path in PUBLIC_PATHS


def normalise_path(path: str) -> str:
    """`/api/42/me.json` → `/api/me` (DHIS2 serves versioned paths and `.json` suffixes)."""
    path = _VERSIONED.sub("/api/", path, count=1)
    if path.endswith(".json"):
        path = path[: -len(".json")]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return path


class SandboxApp:
    def __init__(
        self,
        store: Store,
        features: Sequence[Feature],
        seed: Seed,
        version: str = "2.42",
        tree: str = "current",
        fault_specs: list[faults_mod.Fault] | None = None,
        encryption: bool = True,
    ) -> None:
        if version not in RELEASES:
            raise ValueError(f"unknown DHIS2 version {version!r}; known: {sorted(RELEASES)}")
        self.store = store
        self.version = version
        self.release: Release = RELEASES[version]
        self.tree = tree
        self.features = tuple(features)
        self.seed = seed
        converters: dict[str, type[BaseConverter]] = {}
        for feature in self.features:
            converters.update(feature.converters)
            for tables in feature.tables:
                store.create_tables(tables)
        self.url_map = Map([rule.empty() for feature in self.features for rule in feature.rules],
                           strict_slashes=False, merge_slashes=False, converters=converters)
        self.auth = Authenticator(store, self.release)
        self.faults = faults_mod.FaultSet()
        self.startup_faults = list(fault_specs or [])
        self.faults.add(self.startup_faults)
        self.requests: deque[dict[str, Any]] = deque(maxlen=20_000)
        self._requests_lock = threading.Lock()
        # Background jobs (metadata imports, tracker imports).
        self.jobs = JobTable()
        # Whether dhis.conf has an encryption password: a server setting, not data, so it is
        # applied on every start and reset (DefaultDhisConfigurationProvider#getEncryptionStatus).
        self.encryption = encryption
        seeded = store.is_empty()
        if seeded:
            seed(store, tree=tree, version=version)
        store.set_meta("encryption", "on" if encryption else "off")
        if seeded:
            store.remember()  # what reset() goes back to

    # -- control ------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seeded state: data, faults, request log, jobs.

        The seeded database is remembered once (at the start when the store was empty, else at
        the first reset) and rewound to afterwards, which is much cheaper than seeding again.
        """
        with self.store.lock:
            if not self.store.rewind():
                self.store.reset()
                self.seed(self.store, tree=self.tree, version=self.version)
                self.store.set_meta("encryption", "on" if self.encryption else "off")
                self.store.remember()
        self.auth.clear_cache()
        self.faults.clear()
        with self._requests_lock:
            self.requests.clear()
        self.jobs.clear()

    def _log(self, method: str, path: str, status: int | str) -> None:
        with self._requests_lock:
            self.requests.append({"method": method, "path": path, "status": status,
                                  "time": round(time.time(), 3)})

    def _control(self, request: Request) -> Response:
        path = request.path[len("/__sandbox__"):].rstrip("/")
        try:
            if path == "/reset" and request.method == "POST":
                self.reset()
                return webmessage.json_response({"status": "OK"})
            if path == "/faults":
                if request.method == "GET":
                    return webmessage.json_response({"faults": self.faults.active()})
                if request.method == "DELETE":
                    self.faults.clear()
                    return webmessage.json_response({"status": "OK"})
                if request.method == "POST":
                    data = json.loads(request.get_data() or b"null")
                    specs = data if isinstance(data, list) else [data]
                    added = [faults_mod.from_dict(s) for s in specs]
                    self.faults.add(added)
                    return webmessage.json_response(
                        {"status": "OK", "faults": [f.describe() for f in added]}, 201)
            if path == "/requests":
                if request.method == "GET":
                    with self._requests_lock:
                        items = list(self.requests)
                    prefix = request.args.get("path")
                    method = request.args.get("method")
                    items = [i for i in items
                             if (not prefix or i["path"].startswith(prefix))
                             and (not method or i["method"] == method.upper())]
                    return webmessage.json_response({"requests": items})
                if request.method == "DELETE":
                    with self._requests_lock:
                        self.requests.clear()
                    return webmessage.json_response({"status": "OK"})
        except (ValueError, faults_mod.FaultSpecError) as exc:
            return webmessage.json_response({"status": "ERROR", "message": str(exc)}, 400)
        return webmessage.json_response({"status": "ERROR", "message": "unknown control"}, 404)

    # -- WSGI ---------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith("/__sandbox__"):
            return self._control(request)(environ, start_response)
        fault = self.faults.pick(request.method, request.path)
        if fault is not None and fault.kind != "drop":
            injected = self._inject(fault, environ)
            if injected is not None:
                self._log(request.method, request.path, injected.status_code)
                return injected(environ, start_response)
        response = self.dispatch(request)
        if fault is not None and fault.kind == "drop":
            self._log(request.method, request.path, "dropped")
            faults_mod.reset_connection(environ)
            raise ConnectionResetError("sandbox fault: answer dropped after commit")
        self._log(request.method, request.path, response.status_code)
        return response(environ, start_response)

    def _inject(self, fault: faults_mod.Fault, environ: dict[str, Any]) -> Response | None:
        if fault.kind == "503":
            return webmessage.error(503, "Service Unavailable")
        if fault.kind == "429":
            return webmessage.error(429, "Too Many Requests",
                                    headers={"Retry-After": str(fault.retry_after)})
        if fault.kind == "reset":
            self._log(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), "reset")
            faults_mod.reset_connection(environ)
            # werkzeug treats ConnectionError as a dropped connection (no traceback, no 500)
            raise ConnectionResetError("sandbox fault: connection reset")
        if fault.kind == "delay":
            self.faults.wake.wait(fault.delay)
        return None

    def dispatch(self, request: Request) -> Response:
        response = self._dispatch(request)
        if _ignored_by_security(request.path, normalise_path(request.path)):
            return response
        return security_headers.apply(response, self.release, request)

    def _dispatch(self, request: Request) -> Response:
        base_url = request.host_url.rstrip("/")
        path = normalise_path(request.path)
        try:
            user = self.auth.authenticate(request, base_url)
        except AuthFailure as failure:
            # permitAll lets an anonymous request through, not one whose credentials failed
            credentials = carries_credentials(request.headers.get("Authorization", ""))
            if not _public(request.path, path) or (
                    credentials and not _ignored_by_security(request.path, path)):
                # an ApiToken refusal is CrudControllerAdvice's `@ResponseBody WebMessage`
                # (DhisApiTokenAuthenticationEntryPoint#commence calls the
                # handlerExceptionResolver), so advised; the Basic entry point's 401 and the
                # login redirect are written by Spring Security and are no MessageResponse
                return webmessage.advise(failure.response)
            user = ANONYMOUS
        if not unmapped.version_mapped(request.path, path, self.release,
                                       unmapped.raw_path(request)):
            return unmapped.answer(request, self.release)
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            handler, args = adapter.match(path_info=path, method=request.method)
        except NotFound:
            return unmapped.answer(request, self.release)
        except MethodNotAllowed:
            # CrudControllerAdvice#httpRequestMethodNotSupportedExceptionHandler: the
            # exception's message, in Spring 5's words on 2.41 ("… not supported")
            verb = "is not supported" if self.release.spring6_messages else "not supported"
            return webmessage.advise(
                webmessage.error(405, f"Request method '{request.method}' {verb}"))
        except HTTPException as exc:
            return webmessage.advise(webmessage.error(exc.code or 500, exc.description or ""))
        ctx = Ctx(store=self.store, user=user, release=self.release, request=request,
                  base_url=base_url, jobs=self.jobs)
        try:
            response: Response = handler(ctx, **args)
        except webmessage.HttpError as failure:
            response = failure.response
        except webmessage.UnreadablePayload as exc:
            # a JsonMappingException: #jsonParseExceptionHandler's 409 at 2.43.1, before it
            # CrudControllerAdvice#defaultExceptionHandler's 500
            conflict = exc.json_mapping and self.release.json_mapping_error_conflict
            response = webmessage.error(409 if conflict else 500, str(exc))
        except webmessage.UncaughtException as exc:
            # CrudControllerAdvice#defaultExceptionHandler
            response = webmessage.error(500, exc.message)
        except webmessage.UncaughtError as exc:
            return unmapped.exception_report(str(exc), self.release)
        except Exception as exc:  # a bug in the sandbox: answer like DHIS2's 500
            log.error("sandbox handler failed: %s", traceback.format_exc())
            response = webmessage.error(500, f"{type(exc).__name__}: {exc}")
        # Headers a controller set on the servlet response before it answered or threw stay on
        # the answer: neither Spring 5.3's nor 6.2's DispatcherServlet#processHandlerException
        # removes them (6.2.8 :1345-1349 resets only Content-Type and the body buffer). Then
        # WebMessageControllerAdvice adds its Cache-Control to a 4xx/5xx WebMessage, the
        # controller's or CrudControllerAdvice's, where none was set (core/webmessage.py#advise).
        for name, value in ctx.response_headers.items():
            if name not in response.headers:
                response.headers[name] = value
        return webmessage.advise(response)
