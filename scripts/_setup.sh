# Sourced by scripts/run and scripts/test: make .venv and install the pinned dependencies.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
mkdir -p .data
# Browser tests (tests/browser) drive Debian's Chromium through Playwright; Playwright's own browser
# download cannot reach the internet here, so the system package is used, installed once when missing.
if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests..." >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >.data/apt.log 2>&1; then
        cat .data/apt.log >&2; echo "Could not install chromium (see above)." >&2; exit 1
    fi
fi
# The load benchmark (bench/ops/follow_up_load.py) drives gunicorn with Debian's wrk, installed the same way.
if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing Debian's wrk for the load benchmark..." >&2
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >.data/apt.log 2>&1; then
        cat .data/apt.log >&2; echo "Could not install wrk (see above)." >&2; exit 1
    fi
fi
export PATH="$PWD/.venv/bin:$PATH"
