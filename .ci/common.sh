# Shared by the .ci/*.sh checks that run the real server: temporary
# directories, free ports, PostgreSQL databases, starting and stopping
# servers. Source it from the repository root; it installs an EXIT trap that
# stops every server it started and drops every database it created.
#
# FERROBOOKS_BIN   use this server binary instead of building
#                  target/release/ferrobooks (e.g. a baseline build)
# FERROBOOKS_CI_POSTGRES_URL  an admin URL of the PostgreSQL server
#                  (default: FERROBOOKS_TEST_POSTGRES_URL, else
#                  postgres://postgres@127.0.0.1:5432/postgres)

ci_root=$PWD
ci_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferrobooks-ci.XXXXXX")
ci_pids=()
ci_dbs=()
ci_dirs=()  # more directories to remove on exit
ci_pg_admin=${FERROBOOKS_CI_POSTGRES_URL:-${FERROBOOKS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}}
# Nothing from the caller's environment may redirect the servers started
# here (a database URL, a listen address, a config file).
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^FERROBOOKS_' | grep -v -e '^FERROBOOKS_BIN$' -e '^FERROBOOKS_CI_' -e '^FERROBOOKS_README_BIN$' -e '^FERROBOOKS_TEST_')

# The process and all its descendants (by parent pid), deepest first.
ci_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do ci_tree "$child"; done
  echo "$1"
}

ci_cleanup() {
  local pid db pids=() tree
  for pid in "${ci_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    mapfile -t tree < <(ci_tree "$pid")
    pids+=("${tree[@]}")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  for db in "${ci_dbs[@]}"; do
    psql "$ci_pg_admin" -Atqc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [ -z "${CI_KEEP_TMP:-}" ]; then rm -rf "$ci_tmp" "${ci_dirs[@]}"; else echo "kept $ci_tmp ${ci_dirs[*]}" >&2; fi
}
trap ci_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A TCP port free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# `url` with its database name replaced.
url_with_db() {
  python3 - "$1" "$2" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + sys.argv[2], u.query, u.fragment)))
PY
}

pg_up() { psql "$ci_pg_admin" -Atqc 'SELECT 1' >/dev/null 2>&1; }

# new_pg_db TAG: creates a fresh PostgreSQL database (dropped on exit) and
# sets PG_DB to its name (not in a $(...): the name must reach ci_dbs).
new_pg_db() {
  PG_DB="fb_ci_${1:-x}_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  psql "$ci_pg_admin" -Atqc "CREATE DATABASE $PG_DB" >/dev/null
  ci_dbs+=("$PG_DB")
}

# The server binary: $FERROBOOKS_BIN, or a release build of this checkout.
server_bin() {
  if [ -n "${FERROBOOKS_BIN:-}" ]; then
    echo "$FERROBOOKS_BIN"
    return
  fi
  cargo build --release -p ferrobooks --bin ferrobooks >&2
  echo "${CARGO_TARGET_DIR:-$ci_root/target}/release/ferrobooks"
}

# wait_ready PID PORT OUT [SECONDS]: waits until the server answers /healthz
# and has printed its key on stdout (file OUT). Fails when the process
# exits first or the time runs out.
wait_ready() {
  local pid=$1 port=$2 out=$3 limit=${4:-60} start=$SECONDS
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server exited before it was ready" >&2
      return 1
    fi
    if command curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null &&
      grep -q 'sk_live_' "$out" 2>/dev/null; then
      return 0
    fi
    if [ $((SECONDS - start)) -ge "$limit" ]; then
      echo "the server was not ready after ${limit}s" >&2
      return 1
    fi
    sleep 0.2
  done
}

# The first key printed on stdout (file OUT) / the demo organization id.
printed_key() { grep -o -m1 'sk_live_[A-Za-z0-9]*' "$1"; }
printed_org() { grep -o -m1 'org_[a-z0-9]*' "$1"; }

# shellcheck disable=SC2034  # SERVER_* are read by the scripts that source this
# start_server NAME DATABASE_URL [ENV=VALUE...]: starts `serve` on a free
# port; sets SERVER_PID, SERVER_PORT, SERVER_BASE, SERVER_KEY, SERVER_ORG.
# Its stdout and stderr are $ci_tmp/NAME.out and NAME.err.
start_server() {
  local name=$1 url=$2
  shift 2
  SERVER_PORT=$(free_port)
  SERVER_BASE="http://127.0.0.1:$SERVER_PORT"
  env "$@" "$FB_BIN" serve --listen "127.0.0.1:$SERVER_PORT" --database-url "$url" \
    >"$ci_tmp/$name.out" 2>"$ci_tmp/$name.err" &
  SERVER_PID=$!
  ci_pids+=("$SERVER_PID")
  if ! wait_ready "$SERVER_PID" "$SERVER_PORT" "$ci_tmp/$name.out"; then
    tail -n 30 "$ci_tmp/$name.err" >&2
    return 1
  fi
  SERVER_KEY=$(printed_key "$ci_tmp/$name.out")
  SERVER_ORG=$(printed_org "$ci_tmp/$name.out")
}

# stop_server PID: SIGTERM, then its exit status (1 when it had to be killed
# after 30 s).
stop_server() {
  local pid=$1 status=0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the server ignored SIGTERM for 30s; killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
  fi
  wait "$pid" 2>/dev/null || status=$?
  return "$status"
}

# The Python the checks run on: 3.12 or newer when the machine has one
# (pyenv's are found without its shims). CPython 3.11 can fail a
# schemathesis run at random with "SystemError: AST constructor recursion
# depth mismatch" under threads (cpython#106905).
ci_python() {
  local p
  for p in python3.13 python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3; do
    if "$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo python3
}

# The Python venv of the checks, target/ci-venv, with the pinned packages of
# .ci/requirements.txt; reused while that file (and the Python) is the same.
# Prints its bin directory.
ci_venv() {
  local dir="${CARGO_TARGET_DIR:-$ci_root/target}/ci-venv" req="$ci_root/.ci/requirements.txt" stamp py
  py=$(ci_python)
  stamp="$("$py" --version 2>&1) $(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -x "$dir/bin/python" ] || [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "== creating $dir (pip install -r .ci/requirements.txt)" >&2
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    "$py" -m venv "$dir" >&2
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$stamp" >"$dir/.stamp"
  fi
  echo "$dir/bin"
}
