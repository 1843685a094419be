#!/usr/bin/env bash
# Property-based tests of the API against its own OpenAPI document:
# schemathesis (pinned in .ci/requirements.txt, venv target/ci-venv) with
# `--checks all` and .ci/schemathesis.toml, against the server on SQLite and
# on PostgreSQL, as the demo US organization and as an Indian one made with
# the CLI (each the peer of the other for object_level_authorization).
# Zero failures required.
#
# Each backend runs in a network namespace of its own, loopback only
# (unshare -n, root), so that nothing the fuzzer makes the server do (a
# webhook to a public address) leaves the machine; PostgreSQL is reached
# there through its Unix socket. Without unshare, webhook creation and
# test deliveries are left out, with a warning.
#
# FERROBOOKS_BIN=/path/to/ferrobooks  that binary instead of a release build
# SCHEMATHESIS_SEED, SCHEMATHESIS_MAX_EXAMPLES, SCHEMATHESIS_WORKERS  override
# PGSOCKET_DIR  PostgreSQL's socket directory (default /var/run/postgresql)
#
# Closing line: `schemathesis: N passed, N failed`, counting (operation,
# run) pairs without and with failures.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=common.sh
source .ci/common.sh

t0=$SECONDS
venv=$(ci_venv)
FB_BIN=$(server_bin)
out="$ci_tmp/results"
mkdir -p "$out"
extra_failed=0

netns=()
if unshare -n -- ip link set lo up 2>/dev/null; then
  netns=(unshare -n --)
else
  echo "WARNING: no network namespace (unshare -n needs root): POST /api/v1/webhooks and" \
    "POST /api/v1/webhooks/{id}/test are left out, so that no webhook is delivered off this machine"
fi

# backend LABEL URL: one backend, in its namespace.
backend() {
  local label=$1 url=$2 rc=0 t=$SECONDS
  echo "== schemathesis: $label"
  # In the background, so that a signal to this script ends it at once
  # (the EXIT trap stops it and everything under it).
  FB_BIN="$FB_BIN" FB_VENV="$venv" FB_NETNS=${netns:+1} \
    "${netns[@]}" bash .ci/schemathesis_backend.sh "$label" "$url" "$out" &
  ci_pids+=($!)
  wait "$!" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "  FAIL $label: schemathesis_backend.sh exited $rc"
    extra_failed=$((extra_failed + 1))
  fi
  local st
  st=$(cat "$out/$label.server.rc" 2>/dev/null || echo "?")
  if [ "$st" != 0 ]; then
    echo "  FAIL $label: the server's exit status after SIGTERM was $st"
    tail -n 20 "$out/$label.server.err" 2>/dev/null | sed 's/^/  | /'
    extra_failed=$((extra_failed + 1))
  fi
  echo "  ($label: $((SECONDS - t))s)"
}

if [ ${#netns[@]} -eq 0 ]; then
  export FB_EXCLUDE_WEBHOOK_DELIVERY=1
fi

mkdir -p "$ci_tmp/sqlite"
backend sqlite "sqlite://$ci_tmp/sqlite/ferrobooks.db"

if pg_up; then
  new_pg_db st
  db=$PG_DB
  if [ ${#netns[@]} -gt 0 ]; then
    # The namespace has no TCP route to the host's PostgreSQL: its socket.
    url=$(python3 - "$ci_pg_admin" "$db" "${PGSOCKET_DIR:-/var/run/postgresql}" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
auth = u.netloc.rsplit("@", 1)[0] + "@" if "@" in u.netloc else ""
print(f"{u.scheme}://{auth}localhost/{sys.argv[2]}?host={urllib.parse.quote(sys.argv[3])}")
PY
)
  else
    url=$(url_with_db "$ci_pg_admin" "$db")
  fi
  backend postgres "$url"
else
  echo "  FAIL postgres: PostgreSQL at $ci_pg_admin cannot be reached"
  extra_failed=$((extra_failed + 1))
fi

"$venv/python" .ci/schemathesis_report.py "$out" >"$out/report.txt"
grep -v '^PASSED ' "$out/report.txt" || true
read -r _ passed _ failed < <(grep '^PASSED ' "$out/report.txt")
failed=$((failed + extra_failed))
if [ -n "${SCHEMATHESIS_KEEP:-}" ]; then
  mkdir -p "$SCHEMATHESIS_KEEP" && cp -r "$out"/. "$SCHEMATHESIS_KEEP"/ && echo "  (reports kept in $SCHEMATHESIS_KEEP)"
fi
echo "  (schemathesis: $((SECONDS - t0))s)"
echo "schemathesis: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
