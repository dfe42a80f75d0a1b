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

Not modelled: `copyProperties` also copies the null (or false) of a property the object does
not carry over the user's own top-level value; here only the values the object carries count,
as `PUT /api/users/{uid}` has them (`#populateUserCredentialsDtoCopyOnlyChanges`, only the
changed non-null values).
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


def merged(obj: dict[str, Any]) -> dict[str, Any]:
    """The user with its `userCredentials` values copied on and the object itself gone."""
    credentials = obj.get("userCredentials")
    if not isinstance(credentials, dict):
        return obj
    out = {key: value for key, value in obj.items() if key != "userCredentials"}
    out.update({key: credentials[key] for key in COPIED if credentials.get(key) is not None})
    return out
