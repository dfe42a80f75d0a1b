"""Where the read-only reference material (`shared/`, beside the repository) is found.

CI clones the repository with `shared/` next to it; `SCDI_SHARED_DIR` overrides that.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCDI_SHARED_DIR") or ROOT.parent / "shared")
CONTRACT = SHARED / "dhis2-contract"
