"""`provision`: registry file → plan → (unless a dry run) the writes; one call for the CLI and scripts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scdi.connector.authorities import missing
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ConfigError, Forbidden
from scdi.connector.provision.apply import Counter, ProvisionReport, apply_plan
from scdi.connector.provision.plan import make_plan
from scdi.connector.provision.registry import read_registry
from scdi.connector.provision.server import read_state

# What the metadata import and the tracker import need (schema descriptors' CREATE authorities:
# OrganisationUnitSchemaDescriptor F_ORGANISATIONUNIT_ADD, UserSchemaDescriptor F_USER_ADD or
# F_USER_ADD_WITHIN_MANAGED_GROUP, UserGroupSchemaDescriptor F_USERGROUP_PUBLIC_ADD or _PRIVATE_ADD,
# ProgramSchemaDescriptor F_PROGRAM_PUBLIC_ADD; import itself F_METADATA_IMPORT).
PROVISION_AUTHORITIES = ("F_METADATA_IMPORT", "F_ORGANISATIONUNIT_ADD", "F_PROGRAM_PUBLIC_ADD")
ONE_OF = (("F_USER_ADD", "F_USER_ADD_WITHIN_MANAGED_GROUP"), ("F_USERGROUP_PUBLIC_ADD", "F_USERGROUP_PRIVATE_ADD"))


def check_authorities(held: list[str]) -> list[str]:
    lacking = missing(PROVISION_AUTHORITIES, held)
    if "ALL" not in held:
        lacking += [" or ".join(options) for options in ONE_OF if not set(options) & set(held)]
    return lacking


def provision(client: Dhis2Client, registry_path: str | Path, *, dry_run: bool = False,
              allow_new_passwords: bool = True, today: dt.date | None = None) -> ProvisionReport:
    """Read the registry, compare it with the server, and write what differs (nothing on a dry run).

    `allow_new_passwords=False` stops before any write when leaders' accounts would be created
    (their passwords would have nowhere safe to go, e.g. with --json and no --passwords-to).
    """
    registry = read_registry(registry_path, today=today)
    counter = Counter(client)
    lacking = check_authorities(list(client.me().get("authorities") or []))
    if lacking and not dry_run:
        raise Forbidden(f"user {client.username!r} may not provision groups: missing {', '.join(lacking)}")
    state = read_state(client, [r.leader_username for r in registry.rows if r.leader_username], reader=counter)
    plan = make_plan(registry, state, today=today)
    if not allow_new_passwords and not dry_run and any(
            g.writes and g.target is not None and g.target.leader and not g.target.leader_exists
            for g in plan.groups):
        raise ConfigError("new leaders' accounts would get passwords, and there is nowhere safe to show them",
                          hint="Add --passwords-to FILE (written with mode 600), or run without --json.")
    report = apply_plan(client, plan, state, dry_run=dry_run, counter=counter)
    if lacking:
        report.notes.append(f"a real run needs {', '.join(lacking)}")
    return report
