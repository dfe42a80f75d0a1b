"""`GET /api/users/{uid}/dataApprovalWorkflows`: UserController#getObjectProperty's own branch.

UserController overrides `#getObjectProperty` (webapi/controller/user/UserController.java 2.41.9
:259-286, 2.42.5 :316-342, 2.43.1 :305-331) and answers this one property itself, without the
generic read's `canRead(user, User.class)`: the user is looked up without sharing
(`DefaultUserService#getUser`, `getByUidNoAcl`), unknown → 404 E1005 "User not found: X"
(`NotFoundException(String)`); then `AclService#canRead(currentUser, user)` on the object (the
READ authority, F_USER_VIEW: users are not shareable), refused as ForbiddenException, 403 E1006
(2.42/2.43), or 2.41's CreateAccessDeniedException, which CrudControllerAdvice
#accessDeniedExceptionHandler answers 403 with the same text and no errorCode
(`Release.access_denied_error_code`).

The answer is UserControllerUtils#getUserDataApprovalWorkflows (2.41.9 :72-104, 2.42.5 / 2.43.1
:71-103): `{"dataApprovalWorkflows": [...]}`, one item per stored workflow the looked-up user may
read. With no workflow stored it is the empty array, which the sandbox answers. The items (each
workflow's levels the user may see, `DefaultDataApprovalLevelService#subsetUserDataApprovalLevels`
with the current user's org unit level, category option group set constraints and the approval
authorities) are not modelled: with a workflow stored the sandbox answers 501.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx

PROPERTY = "dataApprovalWorkflows"
_DENIED = "You don't have the proper permissions to access this user."


def get(ctx: Ctx, uid: str) -> Response:
    user = ctx.store.get_object("users", uid)
    if user is None:
        raise webmessage.fail(webmessage.not_found(f"User not found: {uid}"))
    if not acl.can_read(ctx.user, "users", user, ctx.release.minor):
        raise webmessage.fail(webmessage.error(
            403, _DENIED, ctx.release.access_denied_error_code))
    if ctx.store.list_objects("dataApprovalWorkflows"):
        raise webmessage.fail(webmessage.error(
            501, "The data approval workflows of a user are not modelled by the sandbox."))
    return webmessage.json_response({"dataApprovalWorkflows": []})
