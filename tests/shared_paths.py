"""Where the read-only reference material (`shared/`, beside the repository) is found.

CI clones the repository with `shared/` next to it; `SCDI_SHARED_DIR` overrides that.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCDI_SHARED_DIR") or ROOT.parent / "shared")
CONTRACT = SHARED / "dhis2-contract"

# A local copy of a complete WHO package (dhis2-metadata/<package>, `COMPLETE/metadata.json`),
# never committed: the tests that read it skip without it.
_who = os.environ.get("SCDI_WHO_PACKAGE")
WHO_PACKAGE = Path(_who) if _who else None
