"""Group provisioning: a registry of peer groups (XLSX or CSV) becomes org units, program
assignments, a Peer group record, a user group with its sharing, and the leader's account.

read (`registry`) → match places (`places`, against the server's `tree`) → `plan` → `apply`;
`listing` reads provisioned groups back from the server, `template` writes an empty registry.
"""
