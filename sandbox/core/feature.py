"""A feature: one part of the Web API with the routes it serves and the tables it keeps.

Each package of the sandbox declares its feature in its `feature.py` (`FEATURE`), importing its
route modules by name; `sandbox/server.py` lists the features the sandbox serves. Adding one
(analytics, android, …) is a new package with a `feature.py` and one line in that list
(tests/sandbox/test_features.py checks both).

Routes are werkzeug `Rule`s whose endpoint is a handler `handler(ctx, **url_args) -> Response`
(`core/context.py`); handlers raise `webmessage.HttpError` to answer with a WebMessage. Tables
are idempotent DDL (`CREATE TABLE IF NOT EXISTS …`), created in the store when the app starts;
a reset empties them with every other table.

This module also declares the core's own feature: system, me and task endpoints, the
settings read before and after sign-in, personal access tokens and the data store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.routing import BaseConverter, Rule

from scdi.sandbox.core import (
    auth,
    datastore,
    setting_store,
    setting_writes,
    settings,
    system,
    users,
)


@dataclass(frozen=True)
class Feature:
    name: str
    rules: tuple[Rule, ...] = ()
    converters: Mapping[str, type[BaseConverter]] = field(default_factory=dict)
    tables: tuple[str, ...] = ()


FEATURE = Feature(
    name="core",
    rules=(*system.RULES, *settings.RULES, *setting_writes.RULES,
           *datastore.RULES),
    tables=(users.TABLES, auth.TABLES, datastore.TABLES, setting_store.TABLES),
)
