"""scdi-groups connector: provisions the SCDI metadata package onto DHIS2 and syncs rosters.

The entry points a script needs are here; everything else may move between releases.

    from scdi.connector import Dhis2Client, deploy_source, load_source, resolve_settings

    with Dhis2Client(resolve_settings()) as client:   # flags, environment, scdi.toml, dish.json
        report = deploy_source(client, load_source(), dry_run=True)
        groups = provision(client, "nhom.xlsx", dry_run=True)   # or read_registry → read_state → make_plan → apply_plan

The connector never imports the sandbox; it speaks to any DHIS2 (or the sandbox) over HTTP.
"""

from scdi.connector.client import Dhis2Client
from scdi.connector.config import RetryPolicy, ServerSettings, resolve_settings
from scdi.connector.doctor import DoctorReport, run_doctor
from scdi.connector.errors import (
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    BadCredentials,
    BadRequest,
    ConfigError,
    Conflict,
    DeployInterrupted,
    DowngradeRefused,
    EngineUnavailable,
    Forbidden,
    InputError,
    NotFound,
    OtherPackageInstalled,
    RequestTimedOut,
    ScdiError,
    ServerError,
    ServerFailure,
    Unreachable,
    UnsupportedServer,
    ValidationFailed,
    WrongAddress,
)
from scdi.connector.findings import Finding, Location, ObjectRef, Severity
from scdi.connector.metadata.deploy import DeployReport, deploy, deploy_source
from scdi.connector.metadata.diff import PackageDiff, diff_package
from scdi.connector.metadata.package import WrittenPackage, build_package, write_package
from scdi.connector.metadata.source import PackageSource, load_source
from scdi.connector.metadata.status import StatusReport, status
from scdi.connector.metadata.validate import ValidationReport, validate_package, validate_path, validate_source
from scdi.connector.paging import Page
from scdi.connector.provision.apply import ProvisionReport, apply_plan
from scdi.connector.provision.listing import GroupList, list_groups
from scdi.connector.provision.plan import ProvisionPlan, make_plan
from scdi.connector.provision.registry import Registry, read_registry
from scdi.connector.provision.run import provision
from scdi.connector.provision.server import read_state
from scdi.connector.provision.template import write_template
from scdi.connector.reports import MetadataImportReport, TrackerImportReport
from scdi.connector.roster import RosterContract, RosterReport, load_contract, validate_roster, write_roster
from scdi.connector.version import __version__
from scdi.connector.views import LeaderView, OfficialView, leader_view, official_view

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SERVER",
    "EXIT_USAGE",
    "BadCredentials",
    "BadRequest",
    "ConfigError",
    "Conflict",
    "DeployInterrupted",
    "DeployReport",
    "Dhis2Client",
    "DoctorReport",
    "DowngradeRefused",
    "EngineUnavailable",
    "Finding",
    "Forbidden",
    "GroupList",
    "InputError",
    "LeaderView",
    "Location",
    "MetadataImportReport",
    "NotFound",
    "ObjectRef",
    "OfficialView",
    "OtherPackageInstalled",
    "PackageDiff",
    "PackageSource",
    "Page",
    "ProvisionPlan",
    "ProvisionReport",
    "Registry",
    "RequestTimedOut",
    "RetryPolicy",
    "RosterContract",
    "RosterReport",
    "ScdiError",
    "ServerError",
    "ServerFailure",
    "ServerSettings",
    "Severity",
    "StatusReport",
    "TrackerImportReport",
    "Unreachable",
    "UnsupportedServer",
    "ValidationFailed",
    "ValidationReport",
    "WrittenPackage",
    "WrongAddress",
    "__version__",
    "apply_plan",
    "build_package",
    "deploy",
    "deploy_source",
    "diff_package",
    "leader_view",
    "list_groups",
    "load_contract",
    "load_source",
    "make_plan",
    "official_view",
    "provision",
    "read_registry",
    "read_state",
    "resolve_settings",
    "run_doctor",
    "status",
    "validate_package",
    "validate_path",
    "validate_roster",
    "validate_source",
    "write_package",
    "write_roster",
    "write_template",
]
