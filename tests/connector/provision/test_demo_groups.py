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
        assert "dry run: would create 3, 1 invalid, 0 write requests" in text  # Vân Đồn is not in the sample tree
        assert "candidate: Việt Nam / Tỉnh Quảng Ninh /" in text
        assert "Câu lạc bộ Kết nối thành công — leader hp.kntc" in text
        assert "Câu lạc bộ Vượt sóng — leader qn.vuotsong" in text
        assert "provision again: 0 write requests (4 unchanged)" in text
        assert "leader hp.kntc signs in" in text and "Câu lạc bộ Kết nối thành công; searches in Phường" in text
        if tree == "current":
            assert "'Bắc Giang' is a province from before 1 July 2025, now part of Tỉnh Bắc Ninh" in text
        # a second demo on the same server: nothing left to add or create
        again = demo_groups(server.client)
        assert "an administrator adds" not in "\n".join(again.details)
        assert again.summary.startswith("0 groups provisioned (org units, programs, records, user groups, leaders), "
                                        "4 already there") and again.ok
    finally:
        server.client.close()
        server.sandbox.stop()
