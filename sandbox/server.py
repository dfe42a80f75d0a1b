"""The sandbox as a whole: the features it serves and the threaded werkzeug server that serves
them on a loopback address (the entry point of `scdi sandbox serve`, `scdi demo` and the tests'
fixtures)."""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass, field

from werkzeug.serving import BaseWSGIServer, make_server

from scdi.sandbox import seed
from scdi.sandbox.access import feature as access
from scdi.sandbox.aggregate import feature as aggregate
from scdi.sandbox.analytics import feature as analytics
from scdi.sandbox.core import faults as faults_mod
from scdi.sandbox.core import feature as core
from scdi.sandbox.core.app import SandboxApp
from scdi.sandbox.core.feature import Feature
from scdi.sandbox.core.store import Store
from scdi.sandbox.files import feature as files
from scdi.sandbox.icons import feature as icons
from scdi.sandbox.maintenance import feature as maintenance
from scdi.sandbox.metadata import feature as metadata
from scdi.sandbox.tracker import feature as tracker
from scdi.sandbox.versioning import feature as versioning
from scdi.upstream.releases import DEFAULT_MINOR

# How often a background server looks whether stop() was called (socketserver's default, 0.5 s,
# is what each stop() would otherwise wait).
STOP_POLL_SECONDS = 0.05

# What the sandbox serves, in routing order. A new feature is a package with a `feature.py`
# declaring its FEATURE (routes, converters, tables), listed here (core/feature.py).
FEATURES: tuple[Feature, ...] = (core.FEATURE, access.FEATURE, metadata.FEATURE, tracker.FEATURE,
                                  maintenance.FEATURE, versioning.FEATURE, files.FEATURE,
                                  icons.FEATURE, analytics.FEATURE, aggregate.FEATURE)


class NotLoopbackError(ValueError):
    """The sandbox serves only loopback: it has well-known credentials."""


def check_loopback(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise NotLoopbackError(f"cannot resolve host {host!r}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_loopback:
            raise NotLoopbackError(
                f"host {host!r} resolves to {address}, which is not a loopback address; "
                "the sandbox binds to 127.0.0.1 / ::1 only")


@dataclass
class RunningSandbox:
    url: str
    version: str
    store: Store
    app: SandboxApp
    server: BaseWSGIServer
    thread: threading.Thread | None = None
    _stopped: bool = field(default=False, repr=False)

    @property
    def host(self) -> str:
        return str(self.server.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def reset(self) -> None:
        self.app.reset()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.app.faults.clear()  # wake delayed requests
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=10)
        self.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build(
    host: str = "127.0.0.1",
    port: int = 0,
    version: str = DEFAULT_MINOR,
    state: str | None = None,
    tree: str = "current",
    faults: str | list[faults_mod.Fault] | None = None,
    encryption: bool = True,
) -> RunningSandbox:
    check_loopback(host)
    fault_list = faults_mod.parse_cli(faults) if isinstance(faults, str) else (faults or [])
    store = Store(state)
    app = SandboxApp(store, FEATURES, seed.seed, version=version, tree=tree, fault_specs=fault_list,
                     encryption=encryption)
    server = make_server(host, port, app, threaded=True)
    bound_host, bound_port = server.server_address[:2]
    host_text = str(bound_host)
    shown = f"[{host_text}]" if ":" in host_text else host_text
    return RunningSandbox(url=f"http://{shown}:{bound_port}", version=version, store=store,
                          app=app, server=server)


def start(
    host: str = "127.0.0.1",
    port: int = 0,
    version: str = DEFAULT_MINOR,
    state: str | None = None,
    tree: str = "current",
    faults: str | list[faults_mod.Fault] | None = None,
    encryption: bool = True,
) -> RunningSandbox:
    """Serve in a background thread; port 0 picks a free port (see `.url`).

    `encryption=False` imitates a server without `encryption.password` in dhis.conf:
    confidential attribute values are then refused with E1112.
    """
    running = build(host, port, version, state, tree, faults, encryption)
    thread = threading.Thread(target=running.server.serve_forever, name="scdi-sandbox",
                              kwargs={"poll_interval": STOP_POLL_SECONDS}, daemon=True)
    thread.start()
    running.thread = thread
    return running


def serve_forever(
    host: str = "127.0.0.1",
    port: int = 8080,
    version: str = DEFAULT_MINOR,
    state: str | None = None,
    tree: str = "current",
    faults: str | None = None,
    on_ready: object = None,
    encryption: bool = True,
) -> None:
    """Serve in the calling thread until interrupted (the CLI's `scdi sandbox serve`)."""
    running = build(host, port, version, state, tree, faults, encryption)
    if callable(on_ready):
        on_ready(running)
    try:
        running.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        running.server.server_close()
        running.store.close()
