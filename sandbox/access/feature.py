"""The access feature: `/api/me`, `/api/sharing`, user enable/disable, collection endpoints and
favorites / subscribers,
on the one access module (`acl.py` sharing, `scope.py` org unit scopes and ownership) that the
metadata CRUD, metadata export and tracker routes use too. No tables of its own: sharing lives
on the objects, membership on `UserGroup.users`, a user's settings on the user object."""

from __future__ import annotations

from scdi.sandbox.access import api_tokens, favorites, me, routes, user_settings
from scdi.sandbox.core.feature import Feature

FEATURE = Feature(name="access", rules=(*api_tokens.RULES, *me.RULES, *routes.RULES, *favorites.RULES,
                                        *user_settings.RULES))
