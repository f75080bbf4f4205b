#!/usr/bin/env bash
# ansible-test sanity on a copy of the collection laid out as ansible_collections/gravitee_community/mcp.
# Usage: tests/lint/sanity.sh <venv python>
set -euo pipefail
PY=${1:?venv python}; shift
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DEST="$WORK/ansible_collections/gravitee_community/mcp"
mkdir -p "$DEST"
# The tracked and the new-but-not-ignored files, as they are in the working tree.
(cd "$REPO" && git ls-files -co --exclude-standard -z) | (cd "$REPO" && xargs -0 cp --parents -t "$DEST")
(cd "$DEST" && git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm sanity)

# ansible-test downloads a pip bootstrap script from a host this machine cannot reach: serve it a stand-in.
ANSIBLE_TEST_DIR=$("$PY" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
PIP_VERSIONS=$(grep -ho "pip='[0-9.]*'" "$ANSIBLE_TEST_DIR/_internal/python_requirements.py" | tr -d "pip='" | sort -u)
mkdir -p ~/.ansible/test/cache
for v in $PIP_VERSIONS; do
  cp "$REPO/tests/lint/get_pip_standin.py" ~/.ansible/test/cache/get_pip_${v//./_}.py
done

PYVER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cd "$DEST"
# Test code (sandbox, pytest suites, helpers) is not collection content: ruff checks it instead.
EXCLUDES=()
for path in tests/*; do
  [ -d "$path" ] && path="$path/"
  case "$path" in tests/config.yml|tests/sanity/) ;; *) EXCLUDES+=(--exclude "$path") ;; esac
done
PATH="$(dirname "$PY"):$PATH" "$(dirname "$PY")/ansible-test" sanity --venv --python "$PYVER" --color no \
  "${EXCLUDES[@]}" "$@"
