"""The provisioning step of `scdi demo`, on both trees."""

from __future__ import annotations

import pytest

from scdi.connector.provision.demo import demo_groups
from tests.connector.provision.conftest import start_deployed


@pytest.mark.parametrize("tree", ["current", "legacy"])
def test_demo_groups(tree: str) -> None:
    server = start_deployed(tree)
    try:
        step = demo_groups(server.client)
        text = "\n".join(step.details)
        assert step.ok, text
        assert step.summary.startswith("4 groups provisioned") and "second run: 0 write requests" in step.summary
        assert "dry run: would create 4, 0 invalid, 0 write requests" in text  # Vân Đồn is in both seeded trees
        assert "Câu lạc bộ Kết nối thành công — leader hp.kntc" in text
        assert "Câu lạc bộ Vượt sóng — leader qn.vuotsong" in text
        assert "provision again: 0 write requests (4 unchanged)" in text
        assert "leader hp.kntc signs in" in text and "Câu lạc bộ Kết nối thành công; searches in Phường" in text
        assert "the leader sees 1 Peer group record (their own group)" in text
        assert step.leader == "hp.kntc" and step.leader_view is not None
        assert [p.code for p in step.leader_view.programs] == ["SCDI_GROUP", "SCDI_MEMBER"]  # a club: no outreach
        assert "leader_view" not in step.model_dump()
        if tree == "current":
            assert "'Bắc Giang' is a province from before 1 July 2025, now part of Tỉnh Bắc Ninh" in text
        # a second demo on the same server: nothing left to add or create
        again = demo_groups(server.client)
        assert again.leader_view is None  # the account was there already: its password is not known
        assert again.summary.startswith("0 groups provisioned (org units, programs, records, user groups, leaders), "
                                        "4 already there") and again.ok
    finally:
        server.client.close()
        server.sandbox.stop()
