"""Temporary passwords that DHIS2's password rules accept.

DHIS2 checks a new password with `DefaultPasswordValidationService` (dhis-service-core
`org/hisp/dhis/user/`; run on every user import by `DefaultSchemaValidator#isInvalidPassword`,
error E4005). The chain, at 2.42.5 and 2.43.1 (2.41.9 has the same without the lower-case rule):

- `PasswordMandatoryValidationRule`: not blank;
- `PasswordLengthValidationRule`: between the system settings `minPasswordLength` (default 8)
  and `maxPasswordLength` (default 72), after trimming;
- `DigitPatternValidationRule` `.*\\d.*`, `UpperCasePatternValidationRule` `.*[A-Z].*`,
  `LowerCasePatternValidationRule` `.*[a-z].*`, `SpecialCharacterValidationRule` `.*[^A-Za-z0-9].*`;
- `PasswordDictionaryValidationRule`: none of user, admin, system, administrator, username,
  password, login, manager (case-insensitive substrings);
- `UserParameterValidationRule`: neither the username nor the e-mail inside it (case-insensitive).

The generator meets the strictest chain (every rule of every supported release), so it needs no
release; `violations` reports per release (`upstream/releases.py` `password_requires_lower_case`).
Passwords are `SecretStr`: they never appear in a repr, a log line or a JSON dump.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from pydantic import SecretStr

from scdi.connector.errors import ServerError
from scdi.connector.provision.tree import Getter
from scdi.upstream.releases import Release

DICTIONARY = ("user", "admin", "system", "administrator", "username", "password", "login", "manager")
# Look-alike characters left out so a password read aloud or copied from paper survives.
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LOWER = "abcdefghijkmnopqrstuvwxyz"
DIGITS = "23456789"
SPECIAL = "!#%*+-=?@_"
DEFAULT_LENGTH = 16


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    max_length: int = 72
    source: str = "DHIS2 defaults"


def password_policy(client: Getter) -> PasswordPolicy:
    """The server's length limits (GET /api/systemSettings?key=…); DHIS2's defaults if unreadable."""
    try:
        settings = client.get("systemSettings", params={"key": ["minPasswordLength", "maxPasswordLength"]})
    except ServerError:
        return PasswordPolicy()
    if not isinstance(settings, dict):
        return PasswordPolicy()
    try:
        low = int(settings.get("minPasswordLength") or 8)
        high = int(settings.get("maxPasswordLength") or 72)
    except (TypeError, ValueError):
        return PasswordPolicy()
    return PasswordPolicy(low, max(high, low), "system settings")


def violations(password: str, *, username: str | None = None, email: str | None = None,
               policy: PasswordPolicy | None = None, release: Release | None = None) -> list[str]:
    """What DHIS2 would say about `password` (empty when it passes every rule); `release` drops
    the rules that release does not have (`password_requires_lower_case`), default: all of them."""
    policy = policy or PasswordPolicy()
    problems = []
    if not password.strip():
        return ["Username or Password is missing"]
    if not policy.min_length <= len(password.strip()) <= policy.max_length:
        problems.append(f"Password must have at least {policy.min_length}, and at most {policy.max_length} characters")
    checks: tuple[tuple[str, str], ...] = ((r".*\d.*", "Password must have at least one digit"),
              (r".*[A-Z].*", "Password must have at least one upper case"),
              (r".*[a-z].*", "Password must have at least one lower case"),
              (r".*[^A-Za-z0-9].*", "Password must have at least one special character"))
    if release is not None and not release.password_requires_lower_case:
        checks = tuple(c for c in checks if "lower case" not in c[1])
    problems += [message for pattern, message in checks if not re.fullmatch(pattern, password, re.S)]
    lowered = password.casefold()
    if any(word in lowered for word in DICTIONARY):
        problems.append("Password must not have any generic word")
    if any(part and part.casefold() in lowered for part in (username, email, "USERNAME")):
        problems.append("Username/Email must not be a part of password")
    return problems


def generate_password(*, username: str | None = None, email: str | None = None,
                      policy: PasswordPolicy | None = None) -> SecretStr:
    policy = policy or PasswordPolicy()
    length = min(max(DEFAULT_LENGTH, policy.min_length), policy.max_length)
    length = max(length, 4)
    rng = secrets.SystemRandom()
    everything = UPPER + LOWER + DIGITS + SPECIAL
    while True:
        chars = [rng.choice(UPPER), rng.choice(LOWER), rng.choice(DIGITS), rng.choice(SPECIAL)]
        chars += [rng.choice(everything) for _ in range(length - len(chars))]
        rng.shuffle(chars)
        candidate = "".join(chars)
        if not violations(candidate, username=username, email=email, policy=policy):
            return SecretStr(candidate)
