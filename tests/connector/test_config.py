"""Where settings come from: flags, then environment, then scdi.toml, then dish.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scdi.connector.config import RetryPolicy, resolve_settings
from scdi.connector.errors import ConfigError


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    cwd = tmp_path / "work"
    home = tmp_path / "home"
    cwd.mkdir()
    home.mkdir()
    return {"cwd": cwd, "home": home, "config_home": home / ".config"}


def write_profiles(folder: Path, text: str, mode: int = 0o600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scdi.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


PROFILES = """
default_profile = "sandbox"

[profiles.sandbox]
base_url = "http://127.0.0.1:8080/"
username = "admin"
password = "district"

[profiles.province]
base_url = "https://dhis2.example.org/api"
token = "d2p_profiletoken"
read_timeout = 120
"""


def test_flags_win_over_environment(places):
    env = {"DHIS2_BASE_URL": "http://env.example:8080", "DHIS2_USERNAME": "envuser", "DHIS2_PASSWORD": "envpw"}
    settings = resolve_settings({"base_url": "http://flag.example:8080"}, env=env, **places)
    assert settings.base_url == "http://flag.example:8080"
    assert settings.source == "flag"
    # the environment's credentials belong to another server: not used for this one
    assert settings.username is None and settings.password is None


def test_environment_credentials_fill_in_for_the_same_server(places):
    env = {"DHIS2_BASE_URL": "http://env.example:8080/", "DHIS2_TOKEN": "d2p_envtoken"}
    settings = resolve_settings({}, env=env, **places)
    assert settings.base_url == "http://env.example:8080"
    assert settings.token is not None and settings.token.get_secret_value() == "d2p_envtoken"
    assert settings.auth_kind == "token"
    assert "d2p_envtoken" not in repr(settings) and "d2p_envtoken" not in str(settings.model_dump())


def test_default_profile_from_the_working_folder(places):
    write_profiles(places["cwd"], PROFILES)
    settings = resolve_settings({}, env={}, **places)
    assert settings.base_url == "http://127.0.0.1:8080"
    assert settings.profile == "sandbox"
    assert settings.password is not None and settings.password.get_secret_value() == "district"


def test_named_profile_from_the_user_config_folder(places):
    write_profiles(places["config_home"] / "scdi", PROFILES)
    settings = resolve_settings({"profile": "province"}, env={}, **places)
    assert settings.base_url == "https://dhis2.example.org"  # /api is stripped
    assert settings.read_timeout == 120
    assert settings.auth_kind == "token"


def test_unknown_profile_names_the_known_ones(places):
    write_profiles(places["cwd"], PROFILES)
    with pytest.raises(ConfigError) as caught:
        resolve_settings({"profile": "national"}, env={}, **places)
    assert "national" in caught.value.message and "province, sandbox" in caught.value.message


def test_world_readable_password_file_gets_a_warning(places):
    path = write_profiles(places["cwd"], PROFILES, mode=0o644)
    settings = resolve_settings({}, env={}, **places)
    assert any(str(path) in n and "chmod 600" in n for n in settings.notices)
    write_profiles(places["cwd"], PROFILES, mode=0o600)
    assert resolve_settings({}, env={}, **places).notices == ()


def test_dish_json_is_the_last_resort(places):
    dish = places["home"] / "dish.json"
    dish.write_text(json.dumps({"dhis": {"baseurl": "http://dish.example", "username": "u", "password": "p"}}))
    os.chmod(dish, 0o600)
    settings = resolve_settings({}, env={}, **places)
    assert settings.base_url == "http://dish.example"
    assert settings.source.startswith("dish.json")
    # DHIS_HOME points elsewhere
    other = places["cwd"] / "dhis_home"
    other.mkdir()
    (other / "dish.json").write_text(json.dumps({"dhis": {"baseurl": "http://other.example", "username": "u"}}))
    with pytest.raises(ConfigError):  # username without a password
        resolve_settings({}, env={"DHIS_HOME": str(other)}, **places)


def test_broken_dish_json_is_named(places):
    (places["home"] / "dish.json").write_text("{not json")
    with pytest.raises(ConfigError) as caught:
        resolve_settings({}, env={}, **places)
    assert "dish.json" in caught.value.message


def test_nothing_configured_says_how_to_configure(places):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({}, env={}, **places)
    assert "DHIS2_BASE_URL" in caught.value.hint
    assert caught.value.exit_code == 2


def test_url_without_scheme_is_refused(places):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({"base_url": "dhis2.example.org", "username": "a", "password": "b"}, env={}, **places)
    assert "http://" in caught.value.message


# --- the retry policy belongs to the settings ----------------------------------------------


def test_the_retry_policy_defaults_and_its_two_knobs(places):
    default = resolve_settings({"base_url": "http://a.example"}, env={}, **places).retry
    assert default == RetryPolicy()
    assert (default.attempts, default.backoff_factor, default.backoff_jitter) == (4, 0.5, 0.25)
    flagged = resolve_settings({"base_url": "http://a.example", "retries": 1, "retry_backoff": 0}, env={}, **places)
    assert flagged.retry == RetryPolicy(attempts=2, backoff_factor=0, backoff_jitter=0)


def test_retry_settings_come_from_flags_then_environment_then_profile(places):
    write_profiles(places["cwd"], PROFILES.replace('read_timeout = 120', 'read_timeout = 120\nretries = 7'))
    env = {"SCDI_RETRY_BACKOFF": "0.1"}
    settings = resolve_settings({"profile": "province"}, env=env, **places)
    assert (settings.retry.attempts, settings.retry.backoff_factor) == (8, 0.1)
    settings = resolve_settings({"profile": "province", "retries": 0}, env=env, **places)
    assert settings.retry.attempts == 1  # one try, no retry


@pytest.mark.parametrize(("env", "flags"), [({"SCDI_RETRIES": "many"}, {}), ({}, {"retries": -1})])
def test_bad_retry_settings_are_config_errors(places, env, flags):
    with pytest.raises(ConfigError):
        resolve_settings({"base_url": "http://a.example", **flags}, env=env, **places)


# --- bad input: one line, exit code 2, what a base URL looks like ---------------------------


@pytest.mark.parametrize(("url", "words"), [
    ("ftp://dhis2.example.org", "ftp://"),
    ("http://dhis2.example.org:99999", "port"),
    ("http://dhis2.example.org/api/29", "/api/"),
    ("dhis2.example.org", "http://"),
    ("http://:8080", "names no server"),
    ("http://dhis2.example.org/?x=1", "query"),
])
def test_bad_base_urls_are_usage_errors_in_one_line(places, url, words):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({"base_url": url, "username": "a", "password": "b"}, env={}, **places)
    assert caught.value.exit_code == 2
    assert words in caught.value.message
    assert "\n" not in caught.value.one_line() and "pydantic" not in caught.value.one_line()
    assert "without /api" in caught.value.hint


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_timeout_that_is_not_positive_is_refused_not_replaced(places, timeout):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({"base_url": "http://a.example", "read_timeout": timeout}, env={}, **places)
    assert "read_timeout" in caught.value.message and "\n" not in caught.value.one_line()


def test_a_broken_profile_file_is_not_read_when_flags_say_everything(places):
    write_profiles(places["cwd"], "[profiles.x\nbase_url = 1\n")
    (places["home"] / "dish.json").write_text("{not json")
    settings = resolve_settings({"base_url": "http://a.example", "username": "u", "password": "p"}, env={}, **places)
    assert settings.base_url == "http://a.example"
    settings = resolve_settings({}, env={"DHIS2_BASE_URL": "http://a.example", "DHIS2_TOKEN": "d2p_x"}, **places)
    assert settings.auth_kind == "token"


def test_a_broken_profile_file_is_named_with_its_line_when_needed(places):
    path = write_profiles(places["cwd"], 'default_profile = "x"\n\n[profiles.x\nbase_url = 1\n')
    with pytest.raises(ConfigError) as caught:
        resolve_settings({}, env={}, **places)
    assert str(path) in caught.value.message and "line 3" in caught.value.message


def test_a_broken_dish_json_is_named_with_its_line_when_needed(places):
    (places["home"] / "dish.json").write_text('{\n  "dhis": {\n    "baseurl": "http://x",,\n  }\n}')
    with pytest.raises(ConfigError) as caught:
        resolve_settings({}, env={}, **places)
    assert "dish.json" in caught.value.message and "line 3" in caught.value.message


def test_basic_credentials_over_plain_http_are_warned_about_once(places):
    far = resolve_settings({"base_url": "http://dhis2.example.org", "username": "u", "password": "p"}, env={},
                           **places)
    assert len([n for n in far.notices if "plain http://" in n]) == 1
    for quiet in ({"base_url": "http://127.0.0.1:8080", "username": "u", "password": "p"},
                  {"base_url": "http://localhost:8080", "username": "u", "password": "p"},
                  {"base_url": "https://dhis2.example.org", "username": "u", "password": "p"},
                  {"base_url": "http://dhis2.example.org", "token": "d2p_x"}):
        assert not [n for n in resolve_settings(quiet, env={}, **places).notices if "plain http://" in n]


def test_ca_bundle_must_exist(places, tmp_path):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({"base_url": "https://a.example", "ca_bundle": str(tmp_path / "nope.pem")}, env={}, **places)
    assert "nope.pem" in caught.value.message
    pem = tmp_path / "ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    assert resolve_settings({"base_url": "https://a.example", "ca_bundle": str(pem)}, env={},
                            **places).ca_bundle == str(pem)
