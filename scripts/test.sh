#!/usr/bin/env bash
# The whole test suite: lint, type check, pytest. Extra arguments go to pytest.
source "$(dirname "$0")/bootstrap.sh"

ruff check .

# mypy follows imports by package name (scdi.connector…) but the folders sit at the top of the
# repository; a throwaway tree of links gives it the installed layout.
rm -rf .typecheck && mkdir -p .typecheck/scdi
for folder in upstream connector cli sandbox metadata; do ln -s "$ROOT/$folder" ".typecheck/scdi/$folder"; done
( cd .typecheck && mypy --config-file "$ROOT/pyproject.toml" -p scdi.connector -p scdi.upstream -p scdi.cli )

set +e
pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
  exit 1
fi
exit "$status"
