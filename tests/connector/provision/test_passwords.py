"""Temporary passwords against DHIS2's password rules (DefaultPasswordValidationService's chain)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scdi.connector.provision.passwords import (
    DICTIONARY,
    PasswordPolicy,
    generate_password,
    password_policy,
    violations,
)


@given(st.from_regex(r"[a-z][a-z0-9.]{3,20}", fullmatch=True))
def test_generated_passwords_pass_every_rule(username: str) -> None:
    password = generate_password(username=username, email=f"{username}@example.org").get_secret_value()
    assert violations(password, username=username, email=f"{username}@example.org") == []
    assert len(password) == 16


def test_length_follows_the_servers_minimum() -> None:
    policy = PasswordPolicy(min_length=24, max_length=40)
    assert len(generate_password(policy=policy).get_secret_value()) == 24
    assert len(generate_password(policy=PasswordPolicy(min_length=8, max_length=12)).get_secret_value()) == 12


@pytest.mark.parametrize(("password", "message"), [
    ("", "Username or Password is missing"),
    ("Ab1!", "Password must have at least 8, and at most 72 characters"),
    ("abcdefg1!", "Password must have at least one upper case"),
    ("ABCDEFG1!", "Password must have at least one lower case"),
    ("Abcdefgh!", "Password must have at least one digit"),
    ("Abcdefgh1", "Password must have at least one special character"),
    ("Xadmin12!", "Password must not have any generic word"),
    ("Xhp.kntc1!", "Username/Email must not be a part of password"),
])
def test_violations_use_dhis2s_messages(password: str, message: str) -> None:
    assert message in violations(password, username="hp.kntc")


def test_dictionary_is_dhis2s() -> None:
    # dhis-service-core org/hisp/dhis/user/PasswordDictionaryValidationRule.java (2.41.9–2.43.1)
    assert DICTIONARY == ("user", "admin", "system", "administrator", "username", "password", "login", "manager")


def test_secrets_do_not_print() -> None:
    secret = generate_password()
    assert secret.get_secret_value() not in repr(secret) and secret.get_secret_value() not in str(secret)


class _Answers:
    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.asked: list[tuple[str, object]] = []

    def get(self, path: str, params: object = None) -> object:
        self.asked.append((path, params))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_policy_is_read_from_system_settings() -> None:
    from scdi.connector.errors import NotFound

    reader = _Answers({"minPasswordLength": 10, "maxPasswordLength": 30})
    assert password_policy(reader) == PasswordPolicy(10, 30, "system settings")
    assert reader.asked == [("systemSettings", {"key": ["minPasswordLength", "maxPasswordLength"]})]
    assert password_policy(_Answers(NotFound("no"))) == PasswordPolicy()


def test_the_lower_case_rule_is_a_release_difference() -> None:
    from scdi.upstream.releases import RELEASES

    assert violations("ABCDEFG1!", release=RELEASES["2.41"]) == []
    assert violations("ABCDEFG1!", release=RELEASES["2.42"]) == ["Password must have at least one lower case"]
    assert violations("ABCDEFG1!", release=RELEASES["2.43"]) == ["Password must have at least one lower case"]
