# Shared by scripts/run and scripts/test: make .venv and install the given requirements files,
# skipping pip when nothing changed since the last install. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  # Debian packages, installed once; quiet unless something goes wrong.
  if ! as_root true 2>/dev/null; then
    echo "Please install these Debian packages (needs root): $*" >&2
    return 1
  fi
  # Another apt (unattended upgrades, a second set-up) may hold the lock: wait for it, up to
  # 10 minutes, instead of failing and leaving the emoji font out.
  if [ ! -f /tmp/.edu4all-apt-updated ]; then
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq && touch /tmp/.edu4all-apt-updated
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      echo "Installing python3-venv (Debian's Python needs it to make virtual environments)..."
      apt_install python3-venv
      "$PYTHON" -m venv .venv
    fi
  fi
  # Keyed by every requirements file (they include each other) and by which sets were asked for.
  local stamp=".venv/.installed-$( (echo "$@"; cat requirements*.txt) | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "Installing Python packages from $* ..."
    .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
    local args=()
    for f in "$@"; do args+=(-r "$f"); done
    .venv/bin/python -m pip install -q --disable-pip-version-check "${args[@]}"
    touch "$stamp"
  fi
}
