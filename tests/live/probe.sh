#!/usr/bin/env bash
# Ask Maven Central, through mvn, whether every artifact the live tier needs is served, and say why not.
#
#   tests/live/probe.sh [am] [apim] [drivers]     (default: all three)
#
# Prints one line per coordinate: "present", "absent" (Central answered: no such artifact) or "unreachable"
# (no answer), then a verdict line. Exit status: 0 all present, 10 some absent (blocked), 11 Central unreachable.
# -U makes mvn ask again instead of trusting a "not found" cached in ~/.m2 by an earlier run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

components=("$@")
[ ${#components[@]} -eq 0 ] && components=(drivers am apim)
logdir=${GRAVITEE_LIVE_HOME:-$HOME/.cache/gravitee-live}/probe
mkdir -p "$logdir"

absent=0
unreachable=0
missing=()
for component in "${components[@]}"; do
    while read -r coordinate; do
        [ -z "$coordinate" ] && continue
        log="$logdir/$(echo "$coordinate" | tr ':' '_').log"
        if mvn -B -U dependency:get -Dtransitive=false -Dartifact="$coordinate" >"$log" 2>&1; then
            state=present
        elif grep -q -e "Could not find artifact" -e "was not found in" "$log"; then
            state=absent
            absent=$((absent + 1))
            missing+=("$(echo "$coordinate" | cut -d: -f2,3)")
        else
            state=unreachable
            unreachable=$((unreachable + 1))
        fi
        printf '%-8s %-12s %s\n' "$component" "$state" "$coordinate"
        [ "$state" = present ] || grep -m1 '^\[ERROR\]' "$log" | cut -c1-300 | sed 's/^/           /'
    done < <(live_artifacts "$component")
done

# The verdict is kept for the live fixtures' skip reason.
verdict_file="$logdir/verdict-$(IFS=-; echo "${components[*]}").txt"
verdict() { echo "verdict: $1"; echo "$1 ($(date -u +%FT%TZ))" >"$verdict_file"; }
if [ "$unreachable" -gt 0 ]; then
    verdict "Maven Central unreachable for $unreachable artifact(s) (logs in $logdir)"
    exit 11
elif [ "$absent" -gt 0 ]; then
    verdict "blocked: Maven Central does not serve $absent required artifact(s): ${missing[*]} (logs in $logdir)"
    exit 10
fi
verdict "every required artifact is on Maven Central"
