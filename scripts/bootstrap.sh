# Sourced by scripts/demo.sh and scripts/test.sh: makes .venv and node_modules match the repo.
# Needs only Python 3.11+ and Node.js/npm on the machine. Re-running is cheap: it reinstalls
# only when pyproject.toml, setup.py or package-lock.json changed. The installers' own output
# goes to .venv/install.log (shown when a step fails); here, one line per step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

stamp_of() { cat pyproject.toml setup.py package-lock.json 2>/dev/null | sha256sum | cut -c1-16; }

step() {  # step "what" command…: one line of progress, the command's output kept in the log
  local what="$1"; shift
  local started=$SECONDS
  printf 'scdi-groups set-up: %s… ' "$what" >&2
  if "$@" >>.venv/install.log 2>&1; then
    echo "done ($((SECONDS - started)) s)" >&2
  else
    echo "failed; the last lines of .venv/install.log:" >&2
    tail -n 30 .venv/install.log >&2
    return 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  echo "scdi-groups set-up: first run, about two minutes (a virtual environment, the Python and npm packages)." >&2
  mkdir -p .venv
  step "creating .venv" "$PYTHON" -m venv .venv
fi
want="$(stamp_of)"
have="$(cat .venv/.scdi-stamp 2>/dev/null || true)"
if [ "$want" != "$have" ] || [ ! -d node_modules/@dhis2/rule-engine ]; then
  : >.venv/install.log
  pip=(.venv/bin/python -m pip install --disable-pip-version-check --no-input --progress-bar off)
  step "updating pip, setuptools and wheel" "${pip[@]}" --upgrade pip setuptools wheel
  step "installing scdi-groups and its Python dependencies (editable, with the dev tools)" "${pip[@]}" -e '.[dev]'
  step "installing DHIS2's rule engine and expression parser from npm" npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > .venv/.scdi-stamp
fi
# The leaders' onboarding sheet (scdi android onboard) needs a font with Vietnamese letters:
# DejaVu Sans from Debian's fonts-dejavu-core, installed here when it is missing and we may.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v apt-get >/dev/null 2>&1 \
    && [ "$(id -u)" = 0 ]; then
  step "installing the DejaVu fonts (fonts-dejavu-core) for the onboarding sheet" \
    sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core'
fi
[ -d .typecheck/scdi ] || bash "$ROOT/scripts/link-tree.sh"   # editors resolve scdi.* through it
export PATH="$ROOT/.venv/bin:$PATH"
