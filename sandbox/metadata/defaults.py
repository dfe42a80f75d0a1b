"""DHIS2's default category objects: every server has them, and a required category combo that
is not given falls back to the default one.

`dhis-services/dhis-service-core/.../category/DefaultCategoryService.java#generateDefaultDimension`
(UIDs xYerKDKCefk, GLevLNI9wkl, bjDvmb4bfuf, HllvX50cXC0; code and name "default"). The seed
(`sandbox/seed.py`) creates them.
"""

from __future__ import annotations

DEFAULT_CATEGORY_OPTION = "xYerKDKCefk"
DEFAULT_CATEGORY = "GLevLNI9wkl"
DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"
DEFAULT_CATEGORY_OPTION_COMBO = "HllvX50cXC0"
DEFAULT_UIDS = frozenset({DEFAULT_CATEGORY_OPTION, DEFAULT_CATEGORY, DEFAULT_CATEGORY_COMBO,
                          DEFAULT_CATEGORY_OPTION_COMBO})
