#!/usr/bin/env bash
# The whole test suite: lint, type check, pytest. Extra arguments go to pytest.
source "$(dirname "$0")/bootstrap.sh"

ruff check .

# mypy follows imports by package name (scdi.connector…) but the folders sit at the top of the
# repository; the link tree gives it the installed layout.
bash "$ROOT/scripts/link-tree.sh"
( cd .typecheck && mypy --config-file "$ROOT/pyproject.toml" -p scdi.upstream -p scdi.connector -p scdi.cli -p scdi.sandbox )

set +e
pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
  exit 1
fi
exit "$status"
