#!/usr/bin/env bash
# Create bench/.venv (gitignored) with highsignal (editable) and the peers it is
# compared against. Safe to re-run. Usage: bash bench/setup.sh
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
VENV="$BENCH_DIR/.venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip

# Peers (pinned where possible so results compare between runs; reader 3.27
# needs Python >=3.12, so on 3.11 pip picks 3.26) + parse/serve deps.
"$VENV/bin/python" -m pip install --quiet \
    "reader>=3.20,<4" "sgmllib3k==1.0.0" \
    "feedparser==6.0.14" "fastfeedparser==0.6.5" \
    "httpx==0.28.1" "aiohttp" "lxml" "scikit-learn>=1.4"

# highsignal's own runtime deps, for the sys.path fallback before pyproject.toml exists
# (pip install -e below installs whatever its pyproject.toml declares).
"$VENV/bin/python" -m pip install --quiet nh3 orjson python-dateutil platformdirs

# highsignal itself, editable. Until its pyproject.toml exists the scripts fall
# back to putting $REPO_DIR/src on sys.path (they print which one they used).
if [ -f "$REPO_DIR/pyproject.toml" ]; then
    "$VENV/bin/python" -m pip install --quiet -e "$REPO_DIR"
else
    echo "setup.sh: $REPO_DIR/pyproject.toml not found yet; highsignal will be" \
         "imported from $REPO_DIR/src (re-run setup.sh once it exists)" >&2
fi

"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
for name in ("reader", "feedparser", "fastfeedparser", "httpx", "aiohttp", "lxml", "highsignal"):
    try:
        print(f"  {name:15s} {md.version(name)}")
    except md.PackageNotFoundError:
        print(f"  {name:15s} (not installed)")
PY
echo "bench venv ready: $VENV"
