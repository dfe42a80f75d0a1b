"""Program rule variables on import: the hook's NullPointerExceptions per release
(metadata/hooks.py#program_rule_variable, `Release.metadata_validation_failure_message`) and
what its preCreate/preUpdate does before the save (metadata/rule_variables.py)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, object_errors, post_metadata

SETUP = {
    "trackedEntityTypes": [{"id": "tetPrv00001", "name": "Người", "shortName": "Người"}],
    "trackedEntityAttributes": [{"id": "teaPrv00001", "name": "Ngày sinh",
                                 "shortName": "Ngày sinh", "valueType": "DATE",
                                 "aggregationType": "NONE"}],
    "dataElements": [{"id": "dePrv000001", "name": "Cân nặng", "shortName": "Cân nặng",
                      "valueType": "NUMBER", "domainType": "TRACKER",
                      "aggregationType": "NONE"}],
    "programs": [{"id": "prgPrv00001", "name": "Chương trình", "shortName": "Chương trình",
                  "programType": "WITH_REGISTRATION",
                  "trackedEntityType": {"id": "tetPrv00001"}}],
    "programStages": [{"id": "psPrv000001", "name": "Khám", "program": {"id": "prgPrv00001"}}],
}
TYPE_REPORTS_NULL = ('Cannot invoke "java.lang.Iterable.forEach(java.util.function.Consumer)" '
                     'because "typeReports" is null')
NO_PROGRAM = ('Cannot invoke "org.hisp.dhis.program.Program.getUid()" because the return value '
              'of "org.hisp.dhis.programrule.ProgramRuleVariable.getProgram()" is null')
NO_NAME = ('Cannot invoke "String.split(String)" because the return value of '
           '"org.hisp.dhis.programrule.ProgramRuleVariable.getName()" is null')


def _variable(**fields: Any) -> dict[str, Any]:
    out = {"id": "prvPrv00001", "name": "can_nang", "program": {"id": "prgPrv00001"},
           "programRuleVariableSourceType": "DATAELEMENT_CURRENT_EVENT",
           "dataElement": {"id": "dePrv000001"}, **fields}
    return {k: v for k, v in out.items() if v is not None}


@pytest.mark.parametrize(("fields", "own_message"), [
    ({"program": None}, NO_PROGRAM), ({"name": None}, NO_NAME), ({"name": ""}, NO_NAME)])
def test_variable_without_program_or_name_fails_per_release(
        release_sandbox: tuple[str, RunningSandbox], fields: dict[str, Any],
        own_message: str) -> None:
    # The hooks check runs before the schema check (E4000): the hook's own NPE ends the import.
    version, running = release_sandbox
    running.reset()
    assert post_metadata(running.url, SETUP).json()["status"] == "OK"
    response = post_metadata(running.url, {"programRuleVariables": [_variable(**fields)]})
    assert response.status_code == 500
    assert response.json()["message"] == (TYPE_REPORTS_NULL if version == "2.41" else own_message)
    assert requests.get(f"{running.url}/api/programRuleVariables/prvPrv00001", auth=ADMIN,
                        timeout=30).status_code == 404


def test_hook_reports_name_the_rule_variable_class(fresh_sandbox: RunningSandbox) -> None:
    assert post_metadata(fresh_sandbox.url, SETUP).json()["status"] == "OK"
    body = post_metadata(fresh_sandbox.url, {"programRuleVariables": [
        _variable(dataElement=None)]}).json()
    (error,) = object_errors(body)
    assert error["errorCode"] == "E4059"
    assert error["mainKlass"] == "org.hisp.dhis.programrule.ProgramRuleVariable"


@pytest.mark.parametrize(("fields", "stored"), [
    # the data element's value type replaces the one sent; no attribute or stage kept
    ({"valueType": "TEXT", "trackedEntityAttribute": {"id": "teaPrv00001"},
      "programStage": {"id": "psPrv000001"}},
     {"valueType": "NUMBER", "dataElement": {"id": "dePrv000001"}}),
    ({"programRuleVariableSourceType": "DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE",
      "valueType": "TEXT", "programStage": {"id": "psPrv000001"},
      "trackedEntityAttribute": {"id": "teaPrv00001"}},
     {"valueType": "TEXT", "dataElement": {"id": "dePrv000001"},
      "programStage": {"id": "psPrv000001"}}),
    ({"programRuleVariableSourceType": "TEI_ATTRIBUTE", "valueType": "TEXT",
      "trackedEntityAttribute": {"id": "teaPrv00001"}, "programStage": {"id": "psPrv000001"}},
     {"valueType": "DATE", "trackedEntityAttribute": {"id": "teaPrv00001"}}),
    ({"programRuleVariableSourceType": "CALCULATED_VALUE", "valueType": "BOOLEAN",
      "trackedEntityAttribute": {"id": "teaPrv00001"}, "programStage": {"id": "psPrv000001"}},
     {"valueType": "BOOLEAN"}),
])
def test_pre_save_keeps_what_the_source_type_uses(fresh_sandbox: RunningSandbox,
                                                  fields: dict[str, Any],
                                                  stored: dict[str, Any]) -> None:
    url = fresh_sandbox.url
    assert post_metadata(url, SETUP).json()["status"] == "OK"
    body = post_metadata(url, {"programRuleVariables": [_variable(**fields)]}).json()
    assert body["status"] == "OK", body
    read = requests.get(f"{url}/api/programRuleVariables/prvPrv00001", auth=ADMIN, params={
        "fields": "valueType,dataElement,trackedEntityAttribute,programStage"}, timeout=30)
    assert read.json() == stored


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_calculated_value_without_value_type_is_text(sandbox_factory, version: str) -> None:
    # ProgramRuleVariable's `valueType = ValueType.TEXT` initialiser: a variable sent without
    # the key has TEXT when the hook asks (no E4092) and is stored so; one sent as null has none
    url = sandbox_factory(version=version).url
    assert post_metadata(url, SETUP).json()["status"] == "OK"
    calculated = {"id": "prvPrv00001", "name": "tinh_toan", "program": {"id": "prgPrv00001"},
                  "programRuleVariableSourceType": "CALCULATED_VALUE"}
    body = post_metadata(url, {"programRuleVariables": [calculated]}).json()
    assert body["status"] == "OK", body
    read = requests.get(f"{url}/api/programRuleVariables/prvPrv00001", auth=ADMIN,
                        params={"fields": "valueType"}, timeout=30)
    assert read.json() == {"valueType": "TEXT"}
    sent_null = {**calculated, "id": "prvPrv00002", "name": "tinh_toan_2", "valueType": None}
    body = post_metadata(url, {"programRuleVariables": [sent_null]}).json()
    assert "E4092" in [error["errorCode"] for error in object_errors(body)]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_keywords_are_split_on_java_whitespace_only(sandbox_factory, version: str) -> None:
    # `getName().split("\\s")`: a no-break or em space joins, an ASCII space or tab splits
    url = sandbox_factory(version=version).url
    assert post_metadata(url, SETUP).json()["status"] == "OK"
    for index, (name, refused) in enumerate((("x\u00a0and", False), ("x\u2003or", False),
                                              ("x and", True), ("\tnot", True))):
        body = post_metadata(url, {"programRuleVariables": [
            _variable(id=f"prvPrvKw00{index}", name=name)]}).json()
        codes = [error["errorCode"] for error in object_errors(body)]
        assert ("E4052" in codes) is refused, (name, body)
