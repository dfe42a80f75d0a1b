"""2.41's legacy `userCredentials` object on an imported user (`Release.user_credentials_input`).

2.41.9 `User#setUserCredentials` keeps the object as sent (`userCredentialsRaw`) and
`User#populateUserCredentialsDtoFields` (dhis-api `user/User.java` :1278-1294) copies it onto
the user before anything reads the user: `UserController#postObject` (:309-311),
`DefaultPreheatService#handleLegacyUserCredentials` (:997-1003) for `POST /api/metadata`,
`UserObjectBundleHook#validate` (:83). It is Spring's `BeanUtils#copyProperties` over the
`UserCredentialsDto` properties that `User` has a setter of the same type for (`username`,
`openId`, `ldapId`, the flags and dates below, the dimension constraints), leaving out `uid`,
`password`, `userRoles`, `secret`, `previousPasswords`; then a non-null `password` and
`userRoles` are set too. So the user stored has the credentials' username and roles.
2.42.5 and 2.43.1 have no such property (Jackson skips it).

`copyProperties` copies every one of those properties, so one the object does not carry
(or carries as null) overwrites the user's own top-level value with the DTO's default: null,
false for its `boolean` fields, an empty set for the dimension constraints (`merged`).
`PUT /api/users/{uid}` copies only the changed values instead
(`UserController#putJsonObject` :605-608 → `#populateUserCredentialsDtoCopyOnlyChanges`,
`changes_merged`).
"""

from __future__ import annotations

from typing import Any

# UserCredentialsDto (2.41.9 :49-95) properties with a User setter of the same type
# (User.java :456-620)
COPIED = ("username", "externalAuth", "openId", "ldapId", "passwordLastUpdated",
          "cogsDimensionConstraints", "catDimensionConstraints", "lastLogin", "idToken",
          "restoreToken", "restoreExpiry", "selfRegistered", "invitation", "disabled",
          "accountExpiry", "password", "userRoles")


# the DTO's `java.util.Date` and `String` fields (2.41.9 :49-95): the import's ObjectMapper
# reads them as it reads a user's own (ParseDateStdDeserializer, EmptyStringToNullStdDeserializer)
DATES = ("passwordLastUpdated", "lastLogin", "restoreExpiry", "accountExpiry")
STRINGS = ("uid", "id", "uuid", "username", "openId", "ldapId", "password", "restoreToken",
           "idToken")
KLASS = "org.hisp.dhis.user.UserCredentialsDto"


# UserCredentialsDto's field defaults (2.41.9 :49-95) for what `copyProperties` copies whole:
# the primitive booleans are false, the constraint sets empty, the rest null
_FALSE = ("externalAuth", "selfRegistered", "invitation", "disabled")
_EMPTY = ("cogsDimensionConstraints", "catDimensionConstraints")
# set only when not null, after the copy
_WHEN_GIVEN = ("password", "userRoles")


def merged(obj: dict[str, Any]) -> dict[str, Any]:
    """`User#populateUserCredentialsDtoFields`: the user with its `userCredentials` copied on,
    every copied property the object lacks at its default, and the object itself gone."""
    credentials = obj.get("userCredentials")
    if not isinstance(credentials, dict):
        return obj
    out = {key: value for key, value in obj.items() if key != "userCredentials"}
    for key in COPIED:
        value = credentials.get(key)
        if value is not None:
            out[key] = value
        elif key in _FALSE:
            out[key] = False
        elif key in _EMPTY:
            out[key] = []
        elif key not in _WHEN_GIVEN:
            out.pop(key, None)
    return out


def _dto_value(values: dict[str, Any], key: str) -> Any:
    """A copied property as a UserCredentialsDto holds it: its field default when missing."""
    value = values.get(key)
    if value is None:
        return False if key in _FALSE else [] if key in _EMPTY else None
    return value


def _same(key: str, value: Any, old: Any) -> bool:
    """`Object#equals`: sets of references by their ids (`BaseIdentifiableObject#equals`)."""
    if key in _EMPTY or key == "userRoles":
        def ids(refs: Any) -> set[Any]:
            return {r.get("id") for r in refs or [] if isinstance(r, dict)}
        return ids(value) == ids(old)
    return bool(value == old)


def changes_merged(obj: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """`User#populateUserCredentialsDtoCopyOnlyChanges(oldUser, newUser)` (2.41.9
    :1304-1357): `#copyOnlyChangedProperties` writes a copied property whose value is not null
    and differs from the stored user's (`#compareAndWriteProperty`), first from the object,
    then from a copy of the new user's own values taken before (`#getUserCredentials`), so
    the user's own value wins where it changed too; then a given password, changed roles and
    changed dimension constraints of the object. The DTO's false flags are values too."""
    credentials = obj.get("userCredentials")
    if not isinstance(credentials, dict):
        return obj
    out = {key: value for key, value in obj.items() if key != "userCredentials"}
    whole = [key for key in COPIED if key not in _WHEN_GIVEN]
    own = {key: _dto_value(obj, key) for key in whole}
    for source in ({key: _dto_value(credentials, key) for key in whole}, own):
        for key in whole:
            value = source[key]
            if value is not None and not _same(key, value, _dto_value(stored, key)):
                out[key] = value
    if credentials.get("password") is not None:
        out["password"] = credentials["password"]
    roles = credentials.get("userRoles")
    if roles is not None and not _same("userRoles", roles, stored.get("userRoles")):
        out["userRoles"] = roles
    for key in _EMPTY:
        value = _dto_value(credentials, key)
        if stored.get(key) is not None and not _same(key, value, stored.get(key)):
            out[key] = value
    return out
