"""Maps the repository's top-level folders onto the namespaced `scdi.*` packages.

The product keeps `connector/`, `cli/`, `sandbox/`, `metadata/` and `upstream/` at the top
of the repository (that is the layout people review), but nothing generic such as
`cli` may land in site-packages, so each folder is installed as `scdi.<folder>`.
Sub-packages are discovered so new modules need no edit here.
"""

from setuptools import find_packages, setup

FOLDERS = ("upstream", "connector", "cli", "sandbox", "metadata")

packages: list[str] = []
package_dir: dict[str, str] = {}
for folder in FOLDERS:
    packages.append(f"scdi.{folder}")
    package_dir[f"scdi.{folder}"] = folder
    packages.extend(f"scdi.{folder}.{sub}" for sub in find_packages(folder))

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={
        # The metadata package (sources, rule test cases, built JSON) and the
        # published JSON Schemas travel inside the wheel.
        "scdi.metadata": ["**/*.json", "**/*.md", "**/*.toml", "**/*.csv", "**/*.txt"],
        "scdi.connector": ["py.typed", "**/*.json"],
        "scdi.sandbox": ["**/*.json", "**/*.md"],
        # The Node bridge to DHIS2's npm engines (upstream/node/bridge.cjs).
        "scdi.upstream": ["py.typed", "**/*.cjs"],
    },
    include_package_data=False,
    zip_safe=False,
)
