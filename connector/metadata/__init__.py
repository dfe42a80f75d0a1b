"""Metadata tooling: the package build, validation, diff, deploy and status."""
