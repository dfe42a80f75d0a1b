"""`POST`/`DELETE /api/{plural}/{uid}/favorite` and `/subscriber`: the requesting user's uid
added to or removed from the object's `favorites` / `subscribers`.

dhis2-core `webapi/controller/AbstractCrudController.java` `#setAsFavorite`, `#subscribe`,
`#removeAsFavorite`, `#unsubscribe` (the same at 2.41.9, 2.42.5 and 2.43.1, whose path uid is a
`UID`): a type that is not favoritable (`Schema#isFavoritable`: a persisted `favorites`) is a
ConflictException, 409 E1004 "Objects of this class cannot be set as favorite"; not subscribable
(`Schema#isSubscribable`: a SubscribableObject with a persisted `subscribers`, i.e. maps,
visualizations, event visualizations / charts / reports) "Objects of this class cannot be
subscribed to"; both before the lookup (404 "X with id Y could not be found."). Then
`BaseIdentifiableObject#setAsFavorite` / `BaseAnalyticalObject#subscribe` on the HashSet and
`manager.updateNoAcl`: no sharing check beyond the read, 200 OK with the message only, whether
or not the set changed.
"""

from __future__ import annotations

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.core import authority, java_hash, objects, webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.metadata import registry

_REFUSALS = {"favorites": "Objects of this class cannot be set as favorite",
             "subscribers": "Objects of this class cannot be subscribed to"}


def _flag(ctx: Ctx, plural: str, uid: str, prop: str, adding: bool) -> str:
    """The set changed on the stored object; the user's name for the answer."""
    authority.require_controller(ctx, plural, write=True)  # AuthorityInterceptor first
    ctx.check_path_uids(uid=uid)
    info = registry.by_plural(plural, ctx.release.minor)
    facts = registry.jackson_properties(info.singular, ctx.release.minor).get(prop) if info else None
    if info is None or not (facts or {}).get("persisted"):
        raise webmessage.fail(webmessage.conflict(_REFUSALS[prop]))
    obj = ctx.store.get_object(plural, uid)
    if obj is None or not acl.can_read(ctx.user, plural, obj, ctx.release.minor):
        raise webmessage.fail(webmessage.not_found_object(info.simple_name, uid))
    current = [u for u in obj.get(prop) or [] if isinstance(u, str)]
    changed = [*current, ctx.user.uid] if adding else [u for u in current if u != ctx.user.uid]
    with ctx.store.transaction():
        ctx.store.put_object(plural, objects.stamp_update(
            {**obj, prop: java_hash.hash_set_order(changed)}, obj, ctx.user))
    ctx.extras["committed"] = True
    return ctx.user.username


def set_as_favorite(ctx: Ctx, plural: str, uid: str) -> Response:
    name = _flag(ctx, plural, uid, "favorites", True)
    return webmessage.ok(f"Object '{uid}' set as favorite for user '{name}'")


def remove_as_favorite(ctx: Ctx, plural: str, uid: str) -> Response:
    name = _flag(ctx, plural, uid, "favorites", False)
    return webmessage.ok(f"Object '{uid}' removed as favorite for user '{name}'")


def subscribe(ctx: Ctx, plural: str, uid: str) -> Response:
    name = _flag(ctx, plural, uid, "subscribers", True)
    return webmessage.ok(f"User '{name}' subscribed to object '{uid}'")


def unsubscribe(ctx: Ctx, plural: str, uid: str) -> Response:
    name = _flag(ctx, plural, uid, "subscribers", False)
    return webmessage.ok(f"User '{name}' removed as subscriber of object '{uid}'")


RULES = [
    Rule("/api/<plural:plural>/<uid>/favorite", endpoint=set_as_favorite, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>/favorite", endpoint=remove_as_favorite, methods=["DELETE"]),
    Rule("/api/<plural:plural>/<uid>/subscriber", endpoint=subscribe, methods=["POST"]),
    Rule("/api/<plural:plural>/<uid>/subscriber", endpoint=unsubscribe, methods=["DELETE"]),
]
