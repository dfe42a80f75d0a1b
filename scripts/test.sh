#!/usr/bin/env bash
# The whole test suite: lint, type check, pytest. Extra arguments go to pytest.
source "$(dirname "$0")/bootstrap.sh"

ruff check .

# mypy follows imports by package name (scdi.connector…) but the folders sit at the top of the
# repository; the link tree gives it the installed layout.
bash "$ROOT/scripts/link-tree.sh"
( cd .typecheck && mypy --config-file "$ROOT/pyproject.toml" -p scdi.upstream -p scdi.connector -p scdi.cli -p scdi.sandbox )

# pytest-xdist spreads the test files over one worker per core (`--dist loadfile`: a file's tests
# stay together on one worker, in order, sharing its module fixtures). A later `-n 0` on the command
# line runs serially, `--pdb` does too, and `-p no:xdist` leaves the plugin out altogether.
parallel=(-n auto --dist loadfile)
previous=""
for arg in "$@" ${PYTEST_ADDOPTS:-}; do
  if [ "$arg" = "-pno:xdist" ] || [ "$arg" = "-p=no:xdist" ] \
      || { [ "$previous" = "-p" ] && [ "$arg" = "no:xdist" ]; }; then
    parallel=()
  fi
  previous="$arg"
done

set +e
pytest ${parallel[@]+"${parallel[@]}"} "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here." >&2
  exit 1
fi
exit "$status"
