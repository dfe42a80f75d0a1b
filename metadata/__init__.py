"""The SCDI_GROUPS DHIS2 metadata package: source files, rule test cases and the changelog.

This folder is data. It is a Python package only so that `importlib.resources` finds it the
same way after `pip install .` (files copied into the wheel) and `pip install -e .` (files read
from the source tree).
"""

from importlib.resources import files
from importlib.resources.abc import Traversable


def root() -> Traversable:
    """The folder that holds the package sources."""
    return files(__name__)
