"""The roster contract comes from the package: keys, headers, options, sheets."""

from __future__ import annotations

import copy
import json

from scdi.connector.roster.contract import (
    EXCEL_SHEET_NAME_MAX,
    RosterContract,
    build_contract,
    default_package,
    key_of,
)


def test_members_sheet_starts_with_the_code_and_ends_with_fixed_keys(contract: RosterContract) -> None:
    members = contract.sheet("members")
    assert members is not None
    keys = [c.key for c in members.columns]
    assert keys[0] == "member_code" and members.columns[0].required and members.columns[0].unique
    assert keys[-3:] == ["enrolled_on", "status", "uid"]
    assert {"sex", "year_of_birth", "situation", "alias", "phone"} <= set(keys)
    assert members.column("uid").hidden  # type: ignore[union-attr]
    assert [o.code for o in members.column("status").options] == ["active", "paused", "left"]  # type: ignore[union-attr]
    # Generated and rule-assigned attributes are not typed by a leader.
    assert "member_system_id" not in keys and "age_band" not in keys
    assert members.column("phone").confidential and members.column("alias").confidential  # type: ignore[union-attr]


def test_every_column_is_an_object_of_the_package_or_a_fixed_key(contract: RosterContract) -> None:
    package = default_package()
    codes = {key_of(o["code"]): o for items in package.values() if isinstance(items, list)
             for o in items if isinstance(o, dict) and isinstance(o.get("code"), str)}
    for sheet in contract.sheets:
        for column in sheet.columns:
            if column.source in ("attribute", "dataElement"):
                obj = codes[column.key]
                assert obj["id"] == column.uid
                assert column.en == (obj.get("formName") or obj["name"])
                assert column.value_type == obj["valueType"]
            else:
                assert column.key in {"enrolled_on", "status", "date", "uid"}


def test_event_sheets_follow_the_stages(contract: RosterContract) -> None:
    keys = [s.key for s in contract.sheets]
    assert keys == ["members", "intake", "attendance", "followup", "referral", "support", "exit", "meeting"]
    attendance = contract.sheet("attendance")
    assert attendance is not None and [c.key for c in attendance.columns][:2] == ["member_code", "date"]
    assert attendance.keys == ("member_code", "date")
    assert contract.sheet("intake").keys == ("member_code",)  # type: ignore[union-attr]
    meeting = contract.sheet("meeting")
    assert meeting is not None and meeting.vi == "Sinh hoạt nhóm" and meeting.keys == ("date",)
    assert "member_code" not in [c.key for c in meeting.columns]
    # A data element that is not on the stage's form (the meeting reference) is not a column.
    assert attendance.column("att_meeting_ref") is None
    for sheet in contract.sheets:
        assert len(sheet.vi) <= EXCEL_SHEET_NAME_MAX and len(sheet.en) <= EXCEL_SHEET_NAME_MAX


def test_option_columns_carry_both_languages(contract: RosterContract) -> None:
    sex = contract.sheet("members").column("sex")  # type: ignore[union-attr]
    assert sex is not None and {o.vi for o in sex.options} >= {"Nam", "Nữ"}
    assert {o.en for o in sex.options} >= {"Male", "Female"}


def test_outreach_kind_is_the_sessions_sheet() -> None:
    outreach = build_contract(default_package(), "outreach")
    assert [s.key for s in outreach.sheets] == ["session"]
    assert outreach.sheets[0].vi == "Buổi tư vấn" and outreach.sheets[0].role == "events"


def test_json_shape(contract: RosterContract) -> None:
    data = json.loads(json.dumps(contract.to_json()))
    assert set(data["package"]) >= {"code", "version"}
    column = data["sheets"][0]["columns"][1]
    assert set(column) >= {"key", "vi", "en", "valueType", "required", "confidential", "options"}


def test_a_new_data_element_and_a_compulsory_field_flow_through() -> None:
    package = copy.deepcopy(default_package())
    stage = next(s for s in package["programStages"] if s["code"] == "SCDI_MEMBER_FOLLOWUP")
    package["dataElements"].append({"id": "NewDeUid001", "code": "SCDI_FU_NEW_THING", "name": "SCDI - New thing",
                                    "formName": "New thing", "valueType": "INTEGER_ZERO_OR_POSITIVE",
                                    "translations": [{"locale": "vi", "property": "FORM_NAME",
                                                      "value": "Điều mới"}]})
    stage["programStageDataElements"].append({"id": "NewPsdeUid1", "compulsory": True,
                                              "dataElement": {"id": "NewDeUid001"}})
    section = next(s for s in package["programStageSections"] if s["id"] == stage["programStageSections"][0]["id"])
    section["dataElements"].append({"id": "NewDeUid001"})
    followup = build_contract(package, "member").sheet("followup")
    assert followup is not None
    column = followup.column("fu_new_thing")
    assert column is not None and column.required and column.vi == "Điều mới"
