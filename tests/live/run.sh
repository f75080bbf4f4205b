#!/usr/bin/env bash
# The live tier end to end: probe Maven Central -> PostgreSQL -> install + start real AM -> tests -> stop all.
#
#   tests/live/run.sh [pytest args...]
#
# Servers run elsewhere? Export GRAVITEE_LIVE_AM_URL, GRAVITEE_LIVE_AM_GATEWAY_URL (and the APIM/upstream ones,
# see tests/live/target.py) and this only runs the tests against them.
# When the artifacts cannot be had, it prints "live tier SKIPPED: <why>" and exits 0, or 1 with
# GRAVITEE_LIVE_STRICT=1. Downloads stay in ~/.m2, installs in $GRAVITEE_LIVE_HOME (~/.cache/gravitee-live).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/live
# shellcheck source=versions.env
. "$here/versions.env"
export GRAVITEE_LIVE_HOME=${GRAVITEE_LIVE_HOME:-$HOME/.cache/gravitee-live}
export GRAVITEE_LIVE_AM_VERSION GRAVITEE_LIVE_APIM_VERSION GRAVITEE_LIVE_PG_JDBC GRAVITEE_LIVE_PG_R2DBC
PY=${PY:-.venv/bin/python}
began=$(date +%s)
phase() { echo "live: $1 after $(( $(date +%s) - began )) s"; }

skip() {
    echo "live tier SKIPPED: $1"
    [ "${GRAVITEE_LIVE_STRICT:-0}" = 1 ] && exit 1
    exit 0
}

run_tests() {
    "$PY" -m pytest -q -p no:cacheprovider "$here" "$@"
}

if [ -n "${GRAVITEE_LIVE_AM_URL:-}${GRAVITEE_LIVE_APIM_URL:-}" ]; then
    echo "live: using the servers named by GRAVITEE_LIVE_* (nothing installed or started)"
    run_tests "$@"
    exit
fi

set +e
"$here/probe.sh" drivers am
am_probe=$?
am_verdict=$(cat "$GRAVITEE_LIVE_HOME/probe/verdict-drivers-am.txt" 2>/dev/null || true)
"$here/probe.sh" apim
apim_probe=$?
set -e
phase "probe done (am=$am_probe apim=$apim_probe)"
case $am_probe in
    0) ;;
    10) skip "AM $GRAVITEE_LIVE_AM_VERSION is not on Maven Central ($am_verdict)" ;;
    *) skip "Maven Central unreachable" ;;
esac
[ "$apim_probe" = 0 ] || echo "live: APIM $GRAVITEE_LIVE_APIM_VERSION not obtainable from Maven Central; APIM stays on the sandbox"

cleanup() {
    "$PY" -m tests.live stop || true
    "$here/postgres.sh" stop || true
    phase "stopped"
}
trap cleanup EXIT

"$here/postgres.sh" start
eval "$("$here/postgres.sh" env)"
phase "postgres up"
"$PY" -m tests.live start
phase "AM up and seeded"
run_tests "$@"
phase "tests done"
