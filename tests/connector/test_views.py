"""What a group leader and an official find on a server after a deploy, read back as values."""

from __future__ import annotations

from typing import Any

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source
from scdi.connector.views import leader_view, official_view, vietnamese


def test_nothing_to_see_before_a_deploy(fresh_sandbox: Any) -> None:
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as client:
        assert leader_view(client).programs == []
        assert official_view(client).dashboards == []


def test_the_leader_and_the_official_after_a_deploy(fresh_sandbox: Any) -> None:
    source = load_source()
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as client:
        deploy_source(client, source, validate_first=False)
        leader = leader_view(client)
        official = official_view(client)
    shipped = sorted(source.package["programs"], key=lambda p: p["code"])
    assert [p.code for p in leader.programs] == [p["code"] for p in shipped]
    assert [p.name for p in leader.programs] == [vietnamese(p) for p in shipped]
    assert all(p.stages for p in leader.programs)
    assert any(stage.repeatable for p in leader.programs for stage in p.stages)
    dashboards = sorted(source.package["dashboards"], key=lambda d: d["code"])
    assert [(d.code, d.items) for d in official.dashboards] == [
        (d["code"], len(d.get("dashboardItems") or [])) for d in dashboards]
    assert official.program_indicators == len(source.package["programIndicators"])
    assert official.model_dump(mode="json")["dashboards"][0]["name"]  # a value, ready for JSON


def test_vietnamese_falls_back_to_the_name() -> None:
    assert vietnamese({"name": "Member", "translations": [{"locale": "vi", "property": "NAME",
                                                           "value": "Thành viên"}]}) == "Thành viên"
    french = {"name": "Member", "translations": [{"locale": "fr", "property": "NAME", "value": "Membre"}]}
    assert vietnamese(french) == "Member"
