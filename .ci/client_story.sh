#!/usr/bin/env bash
# The OpenAPI document as a client author meets it: start the server on
# SQLite, generate a Python client from its /api/v1/openapi.json with
# openapi-python-client (pinned in .ci/requirements.txt, venv target/ci-venv),
# install it, and run .ci/client_story.py with it (customer, invoice,
# approve, payment, invoice paid with balance 0) and the importer
# reference's complete Python example (.ci/importer_story.py); then the
# same on PostgreSQL (whose document must be the same). The document is used as
# served, unmodified; any warning of the generator fails the check.
#
# FERROBOOKS_BIN=/path/to/ferrobooks runs that binary instead of a release
# build of this checkout.
#
# Closing line: `client_story: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=common.sh
source .ci/common.sh

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL $*"; }
finish() {
  echo "client_story: $passed passed, $failed failed"
  if [ "$failed" -eq 0 ]; then exit 0; fi
  exit 1
}

t0=$SECONDS
venv=$(ci_venv)
FB_BIN=$(server_bin)
gen="$ci_tmp/client"
mkdir -p "$gen"

echo "== client_story: SQLite"
start_server sqlite "sqlite://$ci_tmp/sqlite.db"
command curl -fsS "$SERVER_BASE/api/v1/openapi.json" -o "$gen/openapi.json"
pass "sqlite: GET /api/v1/openapi.json ($(wc -c <"$gen/openapi.json") bytes)"

# The generator, with ruff (its post hooks) from the venv on PATH. Its
# warnings are what a client author would be told: each one fails here.
cat >"$gen/config.yml" <<'YML'
project_name_override: ferrobooks-client
package_name_override: ferrobooks_client
YML
rc=0
(cd "$gen" && PATH="$venv:$PATH" openapi-python-client generate --path openapi.json \
  --config config.yml --output-path ferrobooks-client --overwrite --fail-on-warning) >"$gen/generate.log" 2>&1 || rc=$?
sed -e '/^[[:space:]]*$/d' -e 's/^/  | /' "$gen/generate.log"
if [ "$rc" -ne 0 ] || [ ! -d "$gen/ferrobooks-client/ferrobooks_client" ]; then
  fail "openapi-python-client generate (exit $rc)"
  finish
fi
documented=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(len([m for m in v if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")]) for v in d["paths"].values()))' "$gen/openapi.json")
generated=$(find "$gen/ferrobooks-client/ferrobooks_client/api" -name '*.py' ! -name '__init__.py' | wc -l)
models=$(find "$gen/ferrobooks-client/ferrobooks_client/models" -name '*.py' ! -name '__init__.py' | wc -l)
if grep -q -i -E 'warning|error|unable|could not|skipping' "$gen/generate.log"; then
  fail "openapi-python-client generate: the generator reported problems with the document (above)"
else
  pass "openapi-python-client generate: no warnings ($models models)"
fi
if [ "$generated" -eq "$documented" ]; then
  pass "a client function for each of the $documented documented operations"
else
  fail "$generated client functions for $documented documented operations"
fi
# Installed as a package (its pyproject builds with the pinned poetry-core;
# its dependencies, httpx and attrs, are pinned in the venv already).
if "$venv/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps \
  --force-reinstall "$gen/ferrobooks-client" >"$gen/install.log" 2>&1 &&
  "$venv/python" -c 'import ferrobooks_client.api, ferrobooks_client.models' 2>>"$gen/install.log"; then
  pass "pip install the generated client"
else
  sed 's/^/  | /' "$gen/install.log"
  fail "pip install the generated client"
  finish
fi

# story LABEL: the story against the running server ($SERVER_BASE, $SERVER_KEY).
story() {
  local out="$ci_tmp/story.$1.log" rc=0
  (cd "$ci_tmp" && "$venv/python" "$ci_root/.ci/client_story.py" --base "$SERVER_BASE" --key "$SERVER_KEY" --label "$1") \
    >"$out" 2>&1 || rc=$?
  grep -v '^RESULT ' "$out" || true
  local p f
  read -r _ p f < <(grep '^RESULT ' "$out" || echo "RESULT 0 1")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$1: client_story.py exited $rc"
    sed 's/^/  | /' "$out"
  fi
}

# importer LABEL: the importer reference's complete Python example against
# the running server (.ci/importer_story.py), in a directory of its own.
importer() {
  local out="$ci_tmp/importer.$1.log" rc=0 dir="$ci_tmp/importer.$1"
  mkdir -p "$dir"
  (cd "$dir" && "$venv/python" "$ci_root/.ci/importer_story.py" --base "$SERVER_BASE" --key "$SERVER_KEY" --label "$1") \
    >"$out" 2>&1 || rc=$?
  grep -v '^RESULT ' "$out" || true
  local p f
  read -r _ p f < <(grep '^RESULT ' "$out" || echo "RESULT 0 1")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$1: importer_story.py exited $rc"
  fi
}

# stop LABEL: SIGTERM, exit 0 expected.
stop() {
  local st=0
  stop_server "$SERVER_PID" || st=$?
  if [ "$st" -eq 0 ]; then pass "$1: SIGTERM, exit 0"; else fail "$1: SIGTERM, exit $st"; fi
}

story sqlite
importer sqlite
stop sqlite

echo "== client_story: PostgreSQL"
if pg_up; then
  new_pg_db story
  start_server postgres "$(url_with_db "$ci_pg_admin" "$PG_DB")"
  command curl -fsS "$SERVER_BASE/api/v1/openapi.json" -o "$gen/openapi.postgres.json"
  if cmp -s "$gen/openapi.json" "$gen/openapi.postgres.json"; then
    pass "postgres: the same OpenAPI document as on SQLite"
  else
    fail "postgres: the OpenAPI document differs from SQLite's"
  fi
  story postgres
  importer postgres
  stop postgres
else
  fail "postgres: PostgreSQL at $ci_pg_admin cannot be reached"
fi
echo "  (client_story: $((SECONDS - t0))s)"
finish
