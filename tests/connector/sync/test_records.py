"""Records and their natural keys, per sheet role."""

from __future__ import annotations

from scdi.connector.roster.contract import load_contract
from scdi.connector.sync.records import Record, digest, natural_key, record_of


def test_keys_per_sheet_role() -> None:
    contract = load_contract("member")
    members, attendance, exit_, meeting = (contract.sheet(k) for k in ("members", "attendance", "exit", "meeting"))
    assert members and attendance and exit_ and meeting
    assert natural_key(members, {"member_code": "Hp01 001"}) == "hp01001"
    assert natural_key(attendance, {"member_code": "HP01-001", "date": "2025-03-01"}) == "hp01-001|2025-03-01"
    assert natural_key(exit_, {"member_code": "HP01-001", "date": "2025-03-01"}) == (
        "hp01-001" if not exit_.repeatable else "hp01-001|2025-03-01")
    assert natural_key(meeting, {"date": "2025-03-01"}) == "2025-03-01"
    assert natural_key(meeting, {"mtg_visitors": "2"}) is None
    sessions = load_contract("outreach").sheets[0]
    one = natural_key(sessions, {"date": "2025-03-01", "a": "1"})
    assert one and one.startswith("2025-03-01|") and one != natural_key(sessions, {"date": "2025-03-01", "a": "2"})


def test_record_of_keeps_uid_out_of_values() -> None:
    attendance = load_contract("member").sheet("attendance")
    assert attendance
    record = record_of(attendance, 7, {"member_code": "HP01-001", "date": "2025-03-01", "uid": "Abcdefghij1"})
    assert isinstance(record, Record)
    assert (record.uid, record.row, record.member) == ("Abcdefghij1", 7, "hp01-001")
    assert "uid" not in record.values
    assert record.digest == digest({"date": "2025-03-01", "member_code": "HP01-001"})
    assert digest({"a": "1"}) != digest({"a": "2"})
