# Sourced by scripts/demo.sh and scripts/test.sh: makes .venv and node_modules match the repo.
# Needs only Python 3.11+ and Node.js/npm on the machine. Re-running is cheap: it reinstalls
# only when pyproject.toml, setup.py or package-lock.json changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

stamp_of() { cat pyproject.toml setup.py package-lock.json 2>/dev/null | sha256sum | cut -c1-16; }

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
want="$(stamp_of)"
have="$(cat .venv/.scdi-stamp 2>/dev/null || true)"
if [ "$want" != "$have" ] || [ ! -d node_modules/@dhis2/rule-engine ]; then
  echo "scdi-groups: installing Python and npm dependencies…" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > .venv/.scdi-stamp
fi
[ -d .typecheck/scdi ] || bash "$ROOT/scripts/link-tree.sh"   # editors resolve scdi.* through it
export PATH="$ROOT/.venv/bin:$PATH"
