"""Server-managed fields of metadata objects and UID generation.

- UIDs: `dhis-api/.../common/CodeGenerator.java` (a letter, then 10 of [0-9a-zA-Z];
  regex `^[a-zA-Z][a-zA-Z0-9]{10}$`).
- Dates: `DateUtils.ISO8601_NO_TZ_PATTERN` `yyyy-MM-dd'T'HH:mm:ss.SSS`, server time zone, no offset.
- created/lastUpdated/createdBy/lastUpdatedBy are set by the object bundle hooks that
  `dxf2/metadata/objectbundle/DefaultObjectBundleService.java#handleCreates/handleUpdates` run
  (`objectbundle/hooks/IdentifiableObjectBundleHook.java#preCreate/#preUpdate`);
  `href` and `access` are computed on output (`fieldfiltering/FieldFilterService.java`,
  `LinkService`, `AclService#getAccess`); `sharing` is stored with the object
  (`user/sharing/Sharing.java`; a new object belongs to its creator, public access from the
  schema's default).
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import UTC, datetime
from typing import Any

from scdi.sandbox.core.users import User

UID_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]{10}\Z")  # \Z: Matcher#matches, no final line break
_LETTERS = string.ascii_lowercase + string.ascii_uppercase
_ALNUM = string.digits + _LETTERS

# Fields the server owns: an import never keeps a client's value for these, and a diff
# between what was sent and what is stored must ignore them.
SERVER_FIELDS = frozenset({
    "created", "lastUpdated", "createdBy", "lastUpdatedBy", "href", "access", "user",
    "displayName", "displayShortName", "displayDescription", "displayFormName",
    "favorite", "favorites",
})


def generate_uid() -> str:
    return secrets.choice(_LETTERS) + "".join(secrets.choice(_ALNUM) for _ in range(10))


def timestamp_uid(millis: int) -> str:
    """`CodeGenerator#generateUid(long)` (2.42.5 and 2.43.1 `CodeGenerator.java` :148-176, not
    at 2.41.9): a UID that is a function of an epoch-millisecond timestamp, what a 2.42/2.43
    notification answers as its `id` and `uid`. The low 8 bits pick, per character, whether
    to step the alphabet (lower case, upper case, digits, in turn) and add an offset; the
    other bits, 5 per character, index into it, an overflow carried to the next character."""
    selector = millis & 0xFF
    rest = millis >> 8
    alphabet_start = "a"
    carry = 0
    out = []
    for i in range(11):
        offset = selector & (1 << (i % 8))
        index = ((rest & 0b11111) + offset) ^ carry
        if offset % 2 == 0:
            alphabet_start = {"a": "A", "A": "0"}.get(alphabet_start, "a")
        size = 10 if alphabet_start == "0" else 26
        out.append(chr(ord(alphabet_start) + index % size))
        rest >>= 5
        carry = max(0, index - size)
    return "".join(out)


def is_uid(value: Any) -> bool:
    return isinstance(value, str) and bool(UID_RE.match(value))


def now() -> str:
    """`yyyy-MM-dd'T'HH:mm:ss.SSS` (the sandbox's server time zone is Etc/UTC)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def now_iso8601() -> str:
    """`DateUtils#toIso8601`: the pattern ends in Joda's `Z`, the zone offset without a colon
    (2.41.9 DateUtils.java :77, 2.42.5 :79, 2.43.1 :76)."""
    return now() + "+0000"


def user_ref(user: User | None) -> dict[str, Any] | None:
    """The embedded user of createdBy/lastUpdatedBy, with the members
    `UserPropertyTransformer.JacksonSerialize` writes: the user's uid, code, `User#getName`
    (first name and surname), the display name (the name: no translation) and username."""
    if user is None:
        return None
    return {"id": user.uid, "code": user.code, "name": user.name,
            "displayName": user.name, "username": user.username}


def default_sharing(owner_uid: str | None, public: str = "rw------") -> dict[str, Any]:
    return {"owner": owner_uid, "external": False, "users": {}, "userGroups": {},
            "public": public}


def stamp_create(obj: dict[str, Any], user: User | None, when: str | None = None,
                 shareable: bool = True, public: str = "rw------") -> dict[str, Any]:
    when = when or now()
    obj["created"] = when
    obj["lastUpdated"] = when
    ref = user_ref(user)
    if ref:
        obj["createdBy"] = ref
        obj["lastUpdatedBy"] = ref
    if shareable:
        sharing = obj.get("sharing")
        if not isinstance(sharing, dict):
            sharing = default_sharing(user.uid if user else None, public)
        else:
            sharing = {**default_sharing(user.uid if user else None, public), **sharing}
        obj["sharing"] = sharing
    return obj


def stamp_update(obj: dict[str, Any], previous: dict[str, Any], user: User | None,
                 when: str | None = None) -> dict[str, Any]:
    obj["created"] = previous.get("created") or when or now()
    obj["lastUpdated"] = when or now()
    if previous.get("createdBy"):
        obj["createdBy"] = previous["createdBy"]
    ref = user_ref(user)
    if ref:
        obj["lastUpdatedBy"] = ref
    return obj


def access_for(user: User, externalize: bool) -> dict[str, Any]:
    """Per-user access block; the sandbox grants metadata read to every user and write to
    users holding a matching authority (AclService#canWrite is approximated here).
    `externalize` only where `security/acl/Access.java` has it (2.42.5)."""
    write = user.superuser or any(a.startswith("F_") for a in user.authorities)
    out = {"manage": write, "externalize": write, "write": write, "read": True,
           "update": write, "delete": write}
    if not externalize:
        del out["externalize"]
    return out
