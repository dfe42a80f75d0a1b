"""Financial-year `pe:` items of GET /api/analytics per release (dhis-api period/PeriodTypeEnum.java,
calendar/DateUnitType.java at 2.41.9 and 2.42.5, period/Period.Input#of at 2.43.1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import requests

from scdi.sandbox.analytics import periods
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

ELEMENT = {"id": "deFinYear01", "name": "Members", "shortName": "Members", "valueType": "INTEGER",
           "domainType": "AGGREGATE", "aggregationType": "SUM"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_financial_year_periods_per_release(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # FinancialSeptember arrives in 2.42.5, FinancialFebruary and FinancialAugust in 2.43.1.
    running = sandbox_factory(version=version)
    assert post_metadata(running.url, {"dataElements": [ELEMENT]}).status_code == 200
    valid = {"2.41": {"2024April"}, "2.42": {"2024April", "2024Sep"},
             "2.43": {"2024April", "2024Sep", "2024Feb", "2024Aug"}}[version]
    for pe in ("2024April", "2024Sep", "2024Feb", "2024Aug"):
        answer = requests.get(f"{running.url}/api/analytics", auth=ADMIN, timeout=30, params={
            "dimension": [f"dx:{ELEMENT['id']}", f"pe:{pe}"], "filter": "ou:USER_ORGUNIT"})
        if pe in valid:
            assert answer.status_code == 200, (pe, answer.text)
            assert answer.json()["metaData"]["dimensions"]["pe"] == [pe]
        else:
            # DimensionalObjectProvider#addDailyPeriods: an id no period type reads
            assert answer.status_code == 409, pe
            assert answer.json()["errorCode"] == "E7611"
            assert answer.json()["message"] == f"Period not valid: `{pe}`"


def test_metadata_items_leave_a_missing_code_out(sandbox: RunningSandbox) -> None:
    # MetadataItem#code is a @JsonProperty written by the NON_NULL web mapper: an element
    # without a code has no `code` key (2.41.9, 2.42.5, 2.43.1 JacksonObjectMapperConfig).
    sandbox.reset()
    assert post_metadata(sandbox.url, {"dataElements": [ELEMENT]}).status_code == 200
    answer = requests.get(f"{sandbox.url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": [f"dx:{ELEMENT['id']}", "pe:2024"], "filter": "ou:USER_ORGUNIT",
        "includeMetadataDetails": "true"})
    assert answer.status_code == 200, answer.text
    item = answer.json()["metaData"]["items"][ELEMENT["id"]]
    assert item["dimensionItemType"] == "DATA_ELEMENT"
    assert "code" not in item and item["name"] == "Members"
    assert all(None not in i.values() for i in answer.json()["metaData"]["items"].values())
    sandbox.reset()


@pytest.mark.parametrize("today,name,isos", [
    # RelativePeriods#getRelativeFinancialPeriods, October years (the default start)
    (date(2026, 12, 2), "THIS_FINANCIAL_YEAR", ["2026Oct"]),
    (date(2026, 9, 30), "THIS_FINANCIAL_YEAR", ["2025Oct"]),
    (date(2026, 12, 2), "LAST_FINANCIAL_YEAR", ["2025Oct"]),
    (date(2026, 3, 1), "LAST_5_FINANCIAL_YEARS", ["2020Oct", "2021Oct", "2022Oct", "2023Oct", "2024Oct"]),
    (date(2026, 10, 1), "LAST_10_FINANCIAL_YEARS", [f"{y}Oct" for y in range(2016, 2026)]),
])
def test_financial_relative_periods(today: date, name: str, isos: list[str]) -> None:
    found = periods.relative(name, today)
    assert [p.iso for p in found] == isos
    assert found[0].start == date(int(isos[0][:4]), 10, 1)
    assert found[-1].end == date(int(isos[-1][:4]) + 1, 9, 30)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_financial_relative_periods_follow_the_relative_date_from_2_43(
        sandbox_factory: Callable[..., RunningSandbox], version: str) -> None:
    # RelativePeriods#getRelativeFinancialPeriods: 2.41.9/2.42.5 take DateField.withDefaults()
    # (today) whatever relativePeriodDate says; 2.43.1 the request's date. The calendar
    # periods follow the date on every release.
    running = sandbox_factory(version=version)
    assert post_metadata(running.url, {"dataElements": [ELEMENT]}).status_code == 200
    today = date.today()
    this_year = today.year if today.month >= 10 else today.year - 1
    expected = {
        "THIS_FINANCIAL_YEAR": ["2019Oct"] if version == "2.43" else [f"{this_year}Oct"],
        "LAST_FINANCIAL_YEAR": ["2018Oct"] if version == "2.43" else [f"{this_year - 1}Oct"],
        "THIS_YEAR": ["2020"],
    }
    for pe, isos in expected.items():
        answer = requests.get(f"{running.url}/api/analytics", auth=ADMIN, timeout=30, params={
            "dimension": [f"dx:{ELEMENT['id']}", f"pe:{pe}"], "filter": "ou:USER_ORGUNIT",
            "relativePeriodDate": "2020-01-15"})
        assert answer.status_code == 200, (pe, answer.text)
        assert answer.json()["metaData"]["dimensions"]["pe"] == isos, pe
