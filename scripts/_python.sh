# Sourced by the other scripts: finds a Python >= 3.12 and prepares .venv with the locked dependencies.
# Usage: ensure_venv [extras]   e.g. ensure_venv dev
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in "${THIDUA_PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv installs versions side by side; its shims only work when the version is selected.
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.13*/bin/python "$(pyenv root)"/versions/3.12*/bin/python; do
      if [ -x "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return 0; fi
    done
  fi
  return 1
}

ensure_venv() {
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ] || ! python_ok "$VENV/bin/python"; then
    local python
    if ! python="$(find_python)"; then
      echo "thidua needs Python 3.12 or newer. Install it (e.g. 'apt-get install python3.12' or pyenv)," >&2
      echo "or point THIDUA_PYTHON at it: THIDUA_PYTHON=/path/to/python3.12 $0" >&2
      exit 1
    fi
    echo "==> creating .venv with $python"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  local target="$ROOT"
  [ -n "$extras" ] && target="$ROOT[$extras]"
  echo "==> installing thidua${extras:+ [$extras]} with the locked dependencies"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c "$ROOT/requirements.lock" -e "$target"
}
