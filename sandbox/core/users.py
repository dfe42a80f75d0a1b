"""Users, their roles and org unit scopes, and password checks.

DHIS2 (2.41+) keeps `username`, `userRoles`, `organisationUnits` (capture),
`teiSearchOrganisationUnits` (search) and `dataViewOrganisationUnits` on the user object
(`dhis-api/.../user/User.java`); authorities are the union of the roles' `authorities`
(`User#getAllAuthorities`), and "ALL" makes a superuser (`User#isSuper`). A user's groups are
the groups whose `users` hold the user: `UserGroup.users` is the owning side of the membership
(`dhis-services/dhis-service-core/src/main/resources/org/hisp/dhis/user/hibernate/UserGroup.hbm.xml`,
`User.hbm.xml` maps `groups` inverse), so a `userGroups` list imported on a user changes nothing;
only `/api/users` applies it, after the import (`access/membership.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from scdi.sandbox.core.store import Store

# Username and password hash of each user (the user object itself is a metadata object).
TABLES = """
CREATE TABLE IF NOT EXISTS credentials (
    user_uid TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL
);
"""
SUPER_AUTHORITY = "ALL"
_ITERATIONS = 20_000


@dataclass(frozen=True)
class User:
    uid: str
    username: str
    authorities: frozenset[str]
    superuser: bool
    capture_org_units: tuple[str, ...]
    search_org_units: tuple[str, ...]
    view_org_units: tuple[str, ...]
    user_groups: tuple[str, ...]
    user_roles: tuple[str, ...]
    disabled: bool = False
    # what UserPropertyTransformer.JacksonSerialize writes beside the uid and username
    code: str | None = None
    name: str = ""

    def has(self, authority: str) -> bool:
        return self.superuser or authority in self.authorities

    def has_any(self, *authorities: str) -> bool:
        return self.superuser or any(a in self.authorities for a in authorities)


def _uids(refs: Any) -> tuple[str, ...]:
    return tuple(r["id"] for r in refs or [] if isinstance(r, dict) and r.get("id"))


def groups_of(store: Store, user_uid: str) -> tuple[str, ...]:
    """The uids of the user groups whose `users` hold the user (`User#getGroups`)."""
    return tuple(sorted(g["id"] for g in store.list_objects("userGroups")
                        if user_uid in _uids(g.get("users"))))


def from_object(store: Store, obj: dict[str, Any]) -> User:
    roles = _uids(obj.get("userRoles"))
    authorities: set[str] = set()
    for role_uid in roles:
        role = store.get_object("userRoles", role_uid)
        if role:
            authorities.update(role.get("authorities") or [])
    return User(
        uid=obj["id"],
        username=obj.get("username") or (obj.get("userCredentials") or {}).get("username", ""),
        authorities=frozenset(authorities),
        superuser=SUPER_AUTHORITY in authorities,
        capture_org_units=_uids(obj.get("organisationUnits")),
        search_org_units=_uids(obj.get("teiSearchOrganisationUnits")),
        view_org_units=_uids(obj.get("dataViewOrganisationUnits")),
        user_groups=groups_of(store, obj["id"]),
        user_roles=roles,
        disabled=bool(obj.get("disabled")),
        code=obj.get("code"),
        name=user_name(obj),
    )


def user_name(user: dict[str, Any]) -> str:
    """A user's `name` at every tag: 2.41.9 `User#getName` (:699-702) is `firstName + " " +
    surname`, stored nowhere; from 2.42.5 the column PostgreSQL generates as `firstname || ' '
    || surname` (V2_42_32__User_name_as_generated_column.sql; `User.hbm.xml` :32 `insert` and
    `update` false, the JSON property `READ_ONLY`, 2.42.5 :722, 2.43.1 :724, so a sent `name` is not bound).
    Java's concatenation writes a missing part as `null`."""
    return " ".join("null" if user.get(k) is None else str(user[k]) for k in ("firstName", "surname"))


def find_by_username(store: Store, username: str) -> dict[str, Any] | None:
    with store.lock:
        row = store.conn.execute(
            "SELECT user_uid FROM credentials WHERE username=?", (username,)).fetchone()
    if row is None:
        return None
    return store.get_object("users", row[0])


def load(store: Store, uid: str) -> User | None:
    obj = store.get_object("users", uid)
    return from_object(store, obj) if obj else None


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _ITERATIONS)
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def _verify(password: str, stored: str) -> bool:
    _, salt_hex, digest_hex = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex),
                                    _ITERATIONS)
    return hmac.compare_digest(candidate.hex(), digest_hex)


def set_password(store: Store, user_uid: str, username: str, password: str) -> None:
    with store.lock:
        store.generation += 1
        store.conn.execute(
            "INSERT INTO credentials (user_uid, username, password_hash) VALUES (?,?,?) "
            "ON CONFLICT(user_uid) DO UPDATE SET username=excluded.username, "
            "password_hash=excluded.password_hash",
            (user_uid, username, hash_password(password)))


def password_hash(store: Store, username: str) -> str | None:
    with store.lock:
        row = store.conn.execute("SELECT password_hash FROM credentials WHERE username=?", (username,)).fetchone()
    return str(row[0]) if row else None


def check_password(store: Store, username: str, password: str) -> User | None:
    """The user when username/password match, else None (no hint which part was wrong)."""
    with store.lock:
        row = store.conn.execute(
            "SELECT user_uid, password_hash FROM credentials WHERE username=?",
            (username,)).fetchone()
    if row is None or not _verify(password, row[1]):
        return None
    return load(store, row[0])
