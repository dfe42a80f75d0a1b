"""scdi-groups connector: provisions the SCDI metadata package onto DHIS2 and syncs rosters.

The connector never imports the sandbox; it speaks to any DHIS2 (or the sandbox) over HTTP.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scdi-groups")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
