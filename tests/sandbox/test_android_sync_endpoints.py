"""What Android Capture's metadata sync reads before anything downloads: the endpoints open
without sign-in, the user and system settings, the default category combo and the properties
DHIS2 derives on export that the SDK's `fields` name."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import bad_request_page, missing_parameter

ADMIN = ("admin", "district")
SDK_SYSTEM_KEYS = ("keyFlag,keyStyle,keyCustomColorMobile,keyDefaultBaseMap,"
                   "analyticsFinancialYearStart,analyticsWeeklyStart")


def test_login_config_and_ping_answer_without_credentials(fresh_sandbox):
    config = requests.get(f"{fresh_sandbox.url}/api/loginConfig", allow_redirects=False, timeout=10)
    assert config.status_code == 200
    body = config.json()
    assert body["apiVersion"] == "2.42.5" and body["oidcProviders"] == []
    assert body["minPasswordLength"] == "8" and body["maxPasswordLength"] == "72"
    ping = requests.get(f"{fresh_sandbox.url}/api/ping", allow_redirects=False, timeout=10)
    assert ping.status_code == 200 and ping.content == b""
    # other endpoints still need a sign-in
    assert requests.get(f"{fresh_sandbox.url}/api/me", allow_redirects=False, timeout=10).status_code == 302


def test_login_config_on_2_41_has_no_password_lengths(sandbox_factory):
    running = sandbox_factory(version="2.41")
    body = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
    assert body["apiVersion"] == "2.41.9"
    assert "minPasswordLength" not in body and "maxPasswordLength" not in body


_UNSET_ON_2_41 = ("applicationDescription", "applicationNotification", "applicationLeftSideFooter",
                  "applicationRightSideFooter", "loginPageTemplate")


def test_login_config_writes_no_nulls(sandbox_factory):
    # LoginConfigResponse goes through the NON_NULL jsonMapper (WebMvcConfig,
    # JacksonObjectMapperConfig), so the null logo of a login page without a custom logo is
    # absent. 2.41.9 reads unset settings through SettingKey, whose intro, notification, footers
    # and loginPageTemplate default to null; 2.42.5/2.43.1 read them with a "" default.
    for version in ("2.41", "2.42", "2.43"):
        running = sandbox_factory(version=version)
        body = requests.get(f"{running.url}/api/loginConfig", timeout=10).json()
        assert "loginPageLogo" not in body, version
        assert None not in body.values(), version
        for key in _UNSET_ON_2_41:
            if version == "2.41":
                assert key not in body, (version, key)
            else:
                assert body[key] == "", (version, key)
        # 2.42.5/2.43.1 read the title with asString(key, ""), not its "DHIS 2" default
        assert body["loginPopup"] == "", version
        assert body["applicationTitle"] == ("DHIS 2" if version == "2.41" else ""), version


def test_system_settings_by_one_comma_joined_key(fresh_sandbox):
    answer = requests.get(f"{fresh_sandbox.url}/api/systemSettings", params={"key": SDK_SYSTEM_KEYS},
                          auth=("group.leader", "district"), timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {"keyFlag": "dhis2", "keyStyle": "light_blue/light_blue.css", "keyCustomColorMobile": "",
                             "keyDefaultBaseMap": "", "analyticsFinancialYearStart": "FINANCIAL_YEAR_OCTOBER",
                             "analyticsWeeklyStart": ""}


def test_user_settings_ignore_fields_and_split_keys(fresh_sandbox):
    url = f"{fresh_sandbox.url}/api/userSettings"
    every = requests.get(url, params={"fields": "keyUiLocale,keyDbLocale"}, auth=ADMIN, timeout=10).json()
    assert {"keyUiLocale", "keyDbLocale", "keyStyle"} <= set(every)
    two = requests.get(url, params={"key": "keyUiLocale,keyDbLocale"}, auth=ADMIN, timeout=10).json()
    assert set(two) == {"keyUiLocale", "keyDbLocale"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_user_settings_unknown_key_per_release(sandbox_factory, version):
    # 2.41.9 UserSettingController#getUserSettingKey: 404 "No user setting found with key: …";
    # 2.42.5/2.43.1 UserSettingsController → LazySettings#asJson: every key asked for, "" if unknown.
    url = f"{sandbox_factory(version=version).url}/api/userSettings"
    answer = requests.get(url, params={"key": "keyUiLocale,bogus"}, auth=ADMIN, timeout=10)
    if version == "2.41":
        assert answer.status_code == 404, answer.text
        assert answer.json()["message"] == "No user setting found with key: bogus"
        assert "errorCode" not in answer.json()
    else:
        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {"keyUiLocale", "bogus"} and answer.json()["bogus"] == ""


def test_default_category_combo_is_found_by_is_default(fresh_sandbox):
    answer = requests.get(f"{fresh_sandbox.url}/api/categoryCombos", params={
        "fields": "id,isDefault,categories[id],categoryOptionCombos[id,categoryOptions[id]]",
        "filter": "isDefault:eq:true", "paging": "false"}, auth=("group.leader", "district"), timeout=10).json()
    assert answer["categoryCombos"] == [{
        "id": "bjDvmb4bfuf", "isDefault": True, "categories": [{"id": "GLevLNI9wkl"}],
        "categoryOptionCombos": [{"id": "HllvX50cXC0", "categoryOptions": [{"id": "xYerKDKCefk"}]}]}]


def test_org_unit_ancestors_root_first(fresh_sandbox):
    unit = requests.get(f"{fresh_sandbox.url}/api/organisationUnits", params={
        "filter": "code:eq:VN-79-C001", "fields": "path,ancestors[id,code]"}, auth=ADMIN, timeout=10
    ).json()["organisationUnits"][0]
    assert [a["code"] for a in unit["ancestors"]] == ["VN", "VN-79"]
    assert [a["id"] for a in unit["ancestors"]] == unit["path"].strip("/").split("/")[:-1]


PACKAGE = {
    "trackedEntityAttributes": [{"id": "teaAndroid1", "name": "Android year", "shortName": "Year",
                                 "valueType": "INTEGER", "aggregationType": "NONE"}],
    "trackedEntityTypes": [{"id": "tetAndroid1", "name": "Android person", "shortName": "Android person"}],
    "programs": [
        {"id": "prgAndroid1", "name": "Android program", "shortName": "Android", "programType": "WITH_REGISTRATION",
         "trackedEntityType": {"id": "tetAndroid1"},
         "programTrackedEntityAttributes": [{"id": "pteaAndroid", "trackedEntityAttribute": {"id": "teaAndroid1"},
                                             "program": {"id": "prgAndroid1"}}]},
        {"id": "prgAndroid2", "name": "Android events", "shortName": "Events", "programType": "WITHOUT_REGISTRATION"},
    ],
}


def test_program_registration_and_attribute_names(fresh_sandbox):
    answer = requests.post(f"{fresh_sandbox.url}/api/metadata", json=PACKAGE, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    programs = requests.get(f"{fresh_sandbox.url}/api/programs", params={
        "filter": "id:in:[prgAndroid1,prgAndroid2]", "order": "id:asc",
        "fields": "id,registration,programTrackedEntityAttributes[name,displayName,displayShortName,valueType]"},
        auth=ADMIN, timeout=10).json()["programs"]
    assert [(p["id"], p["registration"]) for p in programs] == [("prgAndroid1", True), ("prgAndroid2", False)]
    assert programs[0]["programTrackedEntityAttributes"] == [{
        "name": "Android program Android year", "displayName": "Android program Android year",
        "displayShortName": "Android Year", "valueType": "INTEGER"}]


RULES_PACKAGE = {
    "programStages": [
        {"id": "stgAndroid1", "name": "With sections", "program": {"id": "prgAndroid1"}},
        {"id": "stgAndroid2", "name": "Plain", "program": {"id": "prgAndroid1"}},
    ],
    "programStageSections": [{"id": "secAndroid1", "name": "Section", "sortOrder": 1,
                              "programStage": {"id": "stgAndroid1"}}],
    "programIndicators": [{"id": "piAndroid01", "name": "Android count", "shortName": "Android count",
                           "program": {"id": "prgAndroid1"}, "expression": "V{enrollment_count}"}],
    "programRules": [{"id": "prAndroid01", "name": "Android rule", "program": {"id": "prgAndroid1"},
                      "condition": "true", "programRuleActions": [{"id": "praAndroid1"}]}],
    "programRuleActions": [{"id": "praAndroid1", "programRuleActionType": "SHOWWARNING", "content": "Careful",
                            "programRule": {"id": "prAndroid01"}}],
}


def test_stage_form_type_indicator_dimension_item_and_action_display_content(fresh_sandbox):
    url = fresh_sandbox.url
    for payload in (PACKAGE, RULES_PACKAGE):
        answer = requests.post(f"{url}/api/metadata", json=payload, auth=ADMIN, timeout=10)
        assert answer.status_code == 200, answer.text
    stages = requests.get(f"{url}/api/programStages", params={
        "filter": "program.id:eq:prgAndroid1", "fields": "id,formType", "order": "id:asc"}, auth=ADMIN,
        timeout=10).json()["programStages"]
    assert stages == [{"id": "stgAndroid1", "formType": "SECTION"}, {"id": "stgAndroid2", "formType": "DEFAULT"}]
    indicator = requests.get(f"{url}/api/programIndicators/piAndroid01", params={"fields": "dimensionItem"},
                             auth=ADMIN, timeout=10).json()
    assert indicator == {"dimensionItem": "piAndroid01"}
    rule = requests.get(f"{url}/api/programRules/prAndroid01", params={
        "fields": "programRuleActions[content,displayContent]"}, auth=ADMIN, timeout=10).json()
    assert rule["programRuleActions"] == [{"content": "Careful", "displayContent": "Careful"}]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_every_dimensional_item_writes_its_uid_as_dimension_item(sandbox_factory, version):
    # common/BaseDimensionalItemObject.java#getDimensionItem is the uid for every subclass that
    # keeps it: data elements, indicators, org units, category options, …; #getDimensionItemType
    # (`@JsonProperty`) is overridden with a constant by each class, and a class without an
    # override (a category option combo) returns the base's transient field, null, which
    # NON_NULL leaves out
    running = sandbox_factory(version=version)
    url = running.url
    element = {"id": "deDimItem01", "name": "Dimension element", "shortName": "Dimension element",
               "valueType": "NUMBER", "domainType": "AGGREGATE", "aggregationType": "SUM"}
    answer = requests.post(f"{url}/api/metadata", json={"dataElements": [element]}, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    unit = running.store.list_objects("organisationUnits")[0]["id"]
    for path, uid, item_type in (("dataElements", "deDimItem01", "DATA_ELEMENT"),
                                 ("organisationUnits", unit, "ORGANISATION_UNIT"),
                                 ("categoryOptions", "xYerKDKCefk", "CATEGORY_OPTION")):
        got = requests.get(f"{url}/api/{path}/{uid}", params={"fields": "dimensionItem"}, auth=ADMIN,
                           timeout=10).json()
        assert got == {"dimensionItem": uid}, (path, got)
        whole = requests.get(f"{url}/api/{path}/{uid}", auth=ADMIN, timeout=10).json()
        assert whole["dimensionItemType"] == item_type, (path, whole)
    combo = requests.get(f"{url}/api/categoryOptionCombos/HllvX50cXC0",
                         params={"fields": "id,dimensionItemType"}, auth=ADMIN, timeout=10).json()
    assert combo == {"id": "HllvX50cXC0"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_attribute_unique_and_generated_sent_as_null_are_read_back_false(sandbox_factory, version):
    # TrackedEntityAttribute#isUnique/#isGenerated return `x != null ? x : false` over
    # nullable columns: an attribute imported with both null is written with both false
    url = sandbox_factory(version=version).url
    attribute = {"id": "teaNullFlag", "name": "Null flags", "shortName": "Null flags",
                 "valueType": "TEXT", "aggregationType": "NONE", "unique": None, "generated": None}
    answer = requests.post(f"{url}/api/metadata", json={"trackedEntityAttributes": [attribute]},
                           auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    got = requests.get(f"{url}/api/trackedEntityAttributes/teaNullFlag",
                       params={"fields": "unique,generated"}, auth=ADMIN, timeout=10).json()
    assert got == {"unique": False, "generated": False}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_category_option_org_units_without_options_is_the_containers_page(sandbox_factory, version):
    # `@RequestParam Set<String> categoryOptions`: Spring's missing parameter, a ServletException
    # CrudControllerAdvice#servletExceptionHandler rethrows, so Tomcat's 400 status report
    url = sandbox_factory(version=version).url
    missing = requests.get(f"{url}/api/categoryOptions/orgUnits", auth=ADMIN, timeout=10)
    assert bad_request_page(missing) == missing_parameter(version, "categoryOptions", "Set")


def test_category_option_org_units(fresh_sandbox):
    url = fresh_sandbox.url
    store = fresh_sandbox.store
    units = {u["code"]: u["id"] for u in store.list_objects("organisationUnits")}
    options = [
        {"id": "coRestrict1", "name": "In the leader's commune", "shortName": "Own",
         "organisationUnits": [{"id": units["VN-79-C001"]}, {"id": units["VN-01"]}]},
        {"id": "coRestrict2", "name": "Elsewhere only", "shortName": "Elsewhere",
         "organisationUnits": [{"id": units["VN-01"]}]},
    ]
    answer = requests.post(f"{url}/api/metadata", json={"categoryOptions": options}, auth=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text
    query = {"categoryOptions": "coRestrict1,coRestrict2,xYerKDKCefk"}
    leader = requests.get(f"{url}/api/categoryOptions/orgUnits", params=query, auth=("group.leader", "district"),
                          timeout=10).json()
    # the default option has no org units ([null]); the leader sees only org units in their capture scope
    assert leader == {"coRestrict1": [units["VN-79-C001"]], "xYerKDKCefk": [None]}
    admin = requests.get(f"{url}/api/categoryOptions/orgUnits", params=query, auth=ADMIN, timeout=10).json()
    assert admin["coRestrict2"] == [units["VN-01"]] and len(admin["coRestrict1"]) == 2
    missing = requests.get(f"{url}/api/categoryOptions/orgUnits", auth=ADMIN, timeout=10)
    assert missing.status_code == 400
    # an empty list is the controller's IllegalArgumentException: badRequest(String), no errorCode
    empty = requests.get(f"{url}/api/categoryOptions/orgUnits", params={"categoryOptions": ""}, auth=ADMIN,
                         timeout=10)
    assert empty.status_code == 400 and "errorCode" not in empty.json()
    assert empty.json()["message"] == "At least one categoryOption uid must be specified"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_category_option_org_units_bind_the_set_as_spring_does(sandbox_factory, version: str) -> None:
    # `@RequestParam Set<String> categoryOptions`: one value is cut on commas and each item
    # trimmed, empty items kept (StringToCollectionConverter); repeated values are kept whole
    # (ArrayToCollectionConverter). A Set holding only "" is no empty Set: the query runs and
    # finds no option
    url = sandbox_factory(version=version).url

    def ask(query: str) -> requests.Response:
        return requests.get(f"{url}/api/categoryOptions/orgUnits?{query}", auth=ADMIN, timeout=10)

    for query in ("categoryOptions=,", "categoryOptions=%20", "categoryOptions=&categoryOptions=",
                  "categoryOptions=nope,xYerKDKCefk&categoryOptions=zzz"):
        answer = ask(query)
        assert (answer.status_code, answer.json()) == (200, {}), (query, answer.text)
    # the items of one value are trimmed
    assert ask("categoryOptions=nope,%20xYerKDKCefk%20").json() == {"xYerKDKCefk": [None]}
    assert ask("categoryOptions=zzz&categoryOptions=xYerKDKCefk").json() == {"xYerKDKCefk": [None]}
    empty = ask("categoryOptions=")
    assert (empty.status_code, empty.json()["message"]) == (
        400, "At least one categoryOption uid must be specified")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_category_option_org_units_in_hash_map_order(sandbox_factory, version: str) -> None:
    # JdbcOrgUnitAssociationsStore fills a HashSetValuedHashMap (2.41.9, 2.42.5, 2.43.1):
    # options in HashMap buckets of 16 (xYerKDKCefk 4, coRestrict1 8, coRestrict2 11), each
    # one's org units in a HashSet(3): a table of 4 for three (ouOrder0004 0, ouOrder0002 2,
    # ouOrder0003 3), grown to 8 for four (ouOrder0004 0, ouOrder0001 5, 0002 6, 0003 7)
    sandbox = sandbox_factory(version=version)
    root = next(u["id"] for u in sandbox.store.list_objects("organisationUnits") if u.get("level") == 1)
    units = [{"id": f"ouOrder000{i}", "name": f"Order {i}", "shortName": f"Order {i}",
              "openingDate": "2020-01-01", "parent": {"id": root}} for i in (1, 2, 3, 4)]
    options = [
        {"id": "coRestrict1", "name": "Three", "shortName": "Three", "organisationUnits": [
            {"id": f"ouOrder000{i}"} for i in (3, 4, 2)]},
        {"id": "coRestrict2", "name": "Four", "shortName": "Four", "organisationUnits": [
            {"id": f"ouOrder000{i}"} for i in (3, 1, 4, 2)]}]
    answer = requests.post(f"{sandbox.url}/api/metadata", auth=ADMIN, timeout=10,
                           json={"organisationUnits": units, "categoryOptions": options})
    assert answer.status_code == 200, answer.text
    read = requests.get(f"{sandbox.url}/api/categoryOptions/orgUnits", auth=ADMIN, timeout=10,
                        params={"categoryOptions": "coRestrict1,coRestrict2,xYerKDKCefk"})
    assert list(read.json().items()) == [
        ("xYerKDKCefk", [None]),
        ("coRestrict1", ["ouOrder0004", "ouOrder0002", "ouOrder0003"]),
        ("coRestrict2", ["ouOrder0004", "ouOrder0001", "ouOrder0002", "ouOrder0003"])]
