#!/usr/bin/env bash
# Our trial balance and profit and loss against ledger-cli, hledger and
# beancount on the same books, on SQLite and PostgreSQL: a release server
# is given a seeded random year of documents (.ci/ledger_check.py), the
# books are exported with `ferrobooks export` in each tool's dialect, and
# every account's balance must be the same in all of them.
#
# hledger and ledger come from Debian (installed here when missing);
# beancount is pinned in .ci/requirements.txt. FERROBOOKS_TEST_SEED replays
# a run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=common.sh
source .ci/common.sh

passed=0
failed=0
fail() { failed=$((failed + 1)); echo "  FAIL $*"; }
finish() {
  echo "ledger_check: $passed passed, $failed failed"
  if [ "$failed" -eq 0 ]; then exit 0; fi
  exit 1
}

if ! command -v hledger >/dev/null || ! command -v ledger >/dev/null; then
  echo "== installing hledger and ledger (apt)"
  if ! { apt-get install -y -qq hledger ledger >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hledger ledger >/dev/null 2>&1; }; }; then
    fail "apt-get install hledger ledger"
    finish
  fi
fi
venv=$(ci_venv)
FB_BIN=$(server_bin)

# check LABEL DATABASE_URL: the books on one backend.
check() {
  local out="$ci_tmp/ledger_check.$1.log" rc=0 seed=()
  start_server "$1" "$2"
  if [ -n "${FERROBOOKS_TEST_SEED:-}" ]; then seed=(--seed "$FERROBOOKS_TEST_SEED"); fi
  "$venv/python" "$ci_root/.ci/ledger_check.py" --base "$SERVER_BASE" --key "$SERVER_KEY" \
    --org "$SERVER_ORG" --bin "$FB_BIN" --db "$2" --tmp "$ci_tmp" --label "$1" "${seed[@]}" \
    >"$out" 2>&1 || rc=$?
  grep -v '^RESULT ' "$out" || true
  local p f
  read -r _ p f < <(grep '^RESULT ' "$out" || echo "RESULT 0 1")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$1: ledger_check.py exited $rc"
    sed 's/^/  | /' "$out"
  fi
  stop_server "$SERVER_PID" || fail "$1: the server did not stop cleanly"
}

echo "== ledger_check: SQLite"
check sqlite "sqlite://$ci_tmp/sqlite.db"
if pg_up; then
  echo "== ledger_check: PostgreSQL"
  new_pg_db ledger
  check postgres "$(url_with_db "$ci_pg_admin" "$PG_DB")"
else
  fail "PostgreSQL at $ci_pg_admin cannot be reached"
fi
finish
