"""Validating and deploying the metadata package; deploying it again unchanged writes nothing.

    python -m bench.metadata_deploy

The package is validated for the sandbox's release (DHIS2's engines when Node is there), then
deployed to a fresh sandbox, then deployed again. The second deploy's writes are counted twice:
by the deploy's own report and in the sandbox's request log (every non-GET request). Target:
0 write requests on the second deploy.
"""

from __future__ import annotations

from typing import Any

from bench.common import check, run_bench, start_sandbox, timed
from scdi.connector.findings import Severity
from scdi.connector.metadata.deploy import deploy
from scdi.connector.metadata.source import load_source
from scdi.connector.metadata.validate import validate_source


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    bench = start_sandbox(deploy=False)
    try:
        source, loaded = timed(load_source)
        validation, validated = timed(lambda: validate_source(source, engines=None,
                                                              dhis2_version=bench.client.release.minor))

        def once() -> Any:
            return deploy(bench.client, source.package, dependencies=source.dependencies,
                          android_settings=source.android_settings, source_files=source.source_files)
        bench.clear_log()
        first, deployed = timed(once)
        bench.clear_log()
        second, again = timed(once)
        logged = [r for r in bench.request_log() if r["method"] not in ("GET", "HEAD")]
    finally:
        bench.stop()
    errors = sum(1 for f in validation.findings if f.severity is Severity.ERROR)
    figures = {"loadSeconds": round(loaded, 2), "validateSeconds": round(validated, 2),
               "findings": len(validation.findings), "errors": errors,
               "first": {"seconds": round(deployed, 2), "requests": first.requests, "writes": first.writes},
               "second": {"seconds": round(again, 2), "requests": second.requests, "writes": second.writes,
                          "writesLogged": len(logged), "unchangedPackage": second.unchanged_package}}
    checks = [
        check("validate + deploy", f"validate {validated:.1f} s ({errors} errors) · deploy {deployed:.1f} s, "
              f"{first.writes} writes", "reported", None if errors == 0 else False),
        check("second deploy writes", f"{second.writes} (report) / {len(logged)} (sandbox log) in "
              f"{second.requests} requests, {again:.1f} s", "0", second.writes == 0 and not logged,
              float(len(logged))),
    ]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    return run_bench("metadata_deploy", __doc__, measure, argv)


if __name__ == "__main__":
    raise SystemExit(main())
