"""Server times: tracker `updatedAt` is an Instant (UTC); `serverDate`, job notification times and
`updatedAfter` are in the server's own zone, which Viet Nam's servers set to UTC+7."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scdi.connector.sync.export import local_as_utc, moment, server_clock

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_stamp_reads_the_same_whatever_its_fraction_digits() -> None:
    half = datetime(2026, 12, 2, 10, 0, 0, 500000)
    assert moment("2026-12-02T10:00:00.5Z") == moment("2026-12-02T10:00:00.500") == half
    assert moment("not a time") is None and moment(None) is None


def test_a_server_local_time_compares_with_updated_at_in_utc() -> None:
    local = "2026-12-02T17:00:00.000"  # 17:00 in Ho Chi Minh City is 10:00 UTC
    assert local_as_utc(local, HCM) == datetime(2026, 12, 2, 10, 0)
    # An edit stamped 10:30Z came after a batch the server answered at 17:00 local: it is not ours.
    ours, seen = local_as_utc(local, HCM), moment("2026-12-02T10:30:00.000Z")
    assert ours is not None and seen is not None and seen > ours
    assert local_as_utc(local, UTC) == datetime(2026, 12, 2, 17, 0)
    assert local_as_utc("2026-12-02T10:00:00Z", HCM) == datetime(2026, 12, 2, 10, 0)  # already UTC


def test_the_server_clock_and_zone_come_from_one_look() -> None:
    class Client:
        calls = 0

        def get(self, path: str, params: object = None) -> object:
            Client.calls += 1
            return {"serverDate": "2026-12-02T17:00:00.123", "serverTimeZoneId": "Asia/Ho_Chi_Minh"}

    now, zone = server_clock(Client())  # type: ignore[arg-type]
    assert (now, zone, Client.calls) == ("2026-12-02T17:00:00.123", HCM, 1)

    class Unknown(Client):
        def get(self, path: str, params: object = None) -> object:
            return {"serverDate": "2026-12-02T10:00:00.000", "serverTimeZoneId": "Mars/Olympus"}

    assert server_clock(Unknown())[1] == UTC  # type: ignore[arg-type]
