#!/usr/bin/env bash
# One backend of .ci/schemathesis.sh, run by it inside a network namespace
# of its own (loopback only: whatever the fuzzer makes the server do, such as
# delivering a webhook to a public address, goes nowhere).
#
#   schemathesis_backend.sh LABEL DATABASE_URL OUTDIR
#
# Starts the server (FB_BIN) on an empty database with rate limits high
# enough for a fuzzer, creates the Indian organization and its key with the
# CLI, creates test data as each (schemathesis_fixtures.py), then runs
# schemathesis (FB_VENV) once as each organization (the other one as the
# peer of `object_level_authorization`) without `DELETE /api/v1/keys/{id}`,
# and last a run of the keys operations alone, revoking included (it may
# revoke the key that tests). Each run leaves OUTDIR/LABEL.NAME.{ndjson,log,rc}.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=common.sh
source .ci/common.sh

label=$1 url=$2 out=$3
FB_BIN=${FB_BIN:?}
venv=${FB_VENV:?}

if [ -n "${FB_NETNS:-}" ]; then
  ip link set lo up
fi

limits="starter=1000000/15m;professional=1000000/15m;enterprise=1000000/15m"
start_server "$label" "$url" FERROBOOKS_RATE_LIMITS="$limits"
us_key=$SERVER_KEY
india_org=$("$FB_BIN" --database-url "$url" orgs create --name "Demo India" --currency INR --country IN --state 27)
india_key=$("$FB_BIN" --database-url "$url" keys create --org "$india_org" --name schemathesis)
echo "  $label: $SERVER_BASE, demo organization $SERVER_ORG (US), $india_org (IN)"

wfc="$ci_tmp/auth.json"
python3 - "$wfc" "$us_key" "$india_key" <<'PY'
import json, sys
path, us, india = sys.argv[1:]
users = [
    {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {key}"}]}
    for name, key in (("us", us), ("india", india))
]
json.dump({"schemaVersion": "0.2.0", "auth": users}, open(path, "w"))
PY

# Test data of each organization, and a config for runs as it: the
# checked-in one plus dictionaries of the ids (schemathesis_fixtures.py).
fixtures() {
  local user=$1 key=$2 country=$3
  cp "$ci_root/.ci/schemathesis.toml" "$ci_tmp/schemathesis.$user.toml"
  if "$venv/python" "$ci_root/.ci/schemathesis_fixtures.py" "$SERVER_BASE" "$key" "$country" \
    >>"$ci_tmp/schemathesis.$user.toml" 2>"$out/$label.fixtures.$user.err"; then
    echo "  $label: $(cat "$out/$label.fixtures.$user.err") as $user"
  else
    echo "  $label: FAIL creating the test data as $user: $(cat "$out/$label.fixtures.$user.err")"
    echo 1 >"$out/$label.fixtures.$user.rc"
  fi
}
fixtures us "$us_key" US
fixtures india "$india_key" IN

# run NAME USER [ARGS...]: one schemathesis run as USER.
run() {
  local name=$1 user=$2
  shift 2
  local rc=0 t0=$SECONDS
  (
    cd "$ci_tmp"
    PYTHONPATH="$ci_root/.ci" SCHEMATHESIS_HOOKS=schemathesis_hooks \
      FB_WFC_PATH="$wfc" FB_WFC_USER="$user" "$venv/schemathesis" --config-file "$ci_tmp/schemathesis.$user.toml" \
      run "$SERVER_BASE/api/v1/openapi.json" --checks all --workers "${SCHEMATHESIS_WORKERS:-2}" \
      ${SCHEMATHESIS_SEED:+--seed "$SCHEMATHESIS_SEED"} ${SCHEMATHESIS_MAX_EXAMPLES:+--max-examples "$SCHEMATHESIS_MAX_EXAMPLES"} \
      --report ndjson --report-ndjson-path "$out/$label.$name.ndjson" --no-color "$@"
  ) >"$out/$label.$name.log" 2>&1 || rc=$?
  echo "$rc" >"$out/$label.$name.rc"
  echo "  $label: schemathesis as $user ($name): exit $rc, $((SECONDS - t0))s"
}

revoke='DELETE /api/v1/keys/{id}'
skip=(--exclude-name "$revoke")
if [ -n "${FB_EXCLUDE_WEBHOOK_DELIVERY:-}" ]; then
  skip+=(--exclude-name 'POST /api/v1/webhooks' --exclude-name 'POST /api/v1/webhooks/{id}/test')
fi
run us us "${skip[@]}"
run india india "${skip[@]}"
# Last, the keys operations together, revoking included: the stateful
# phase can generate a key, revoke it and read it back (and may revoke the
# testing key: nothing runs after this).
run keys us --include-path-regex '^/api/v1/keys'


st=0
stop_server "$SERVER_PID" || st=$?
echo "$st" >"$out/$label.server.rc"
cp "$ci_tmp/$label.err" "$out/$label.server.err"
