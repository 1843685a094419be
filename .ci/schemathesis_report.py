"""Reads the NDJSON reports of .ci/schemathesis.sh and prints the failures
grouped by check and by kind (the status and the error the server gave, or
the part of the document that did not hold), each kind with the operations
it was seen on, where (backend/identity) and one curl reproduction.

    python schemathesis_report.py OUTDIR

Files OUTDIR/<backend>.<run>.ndjson (and .rc); prints, last,
`PASSED <n> FAILED <n>`: (operation, run) pairs without and with a failure,
plus runs that ended in an error.
"""

import base64
import glob
import json
import os
import re
import shlex
import sys
from collections import defaultdict

LABEL = re.compile(r"^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) /")


def decode(content):
    if not content:
        return ""
    if isinstance(content, dict) and "$base64" in content:
        try:
            return base64.b64decode(content["$base64"]).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001
            return "<undecodable>"
    if isinstance(content, dict) and "string" in content:
        return content["string"]
    return str(content)


def squash(text, n=160):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def normalize(msg):
    """An error message with its quoted values elided, so that one cause is one kind."""
    msg = re.sub(r"'.*'", "'…'", msg)
    msg = re.sub(r'"[^"]*"', '"…"', msg)
    msg = re.sub(r"\b(acc|cus|inv|je|pay|prod|tax|wh|key|org|alloc|req|est|cn|sr|rr)_[0-9a-z]+\b", r"\1_…", msg)
    msg = re.sub(r"\b\d+(\.\d+)?\b", "N", msg)
    return squash(msg, 140)


def server_error(body):
    try:
        j = json.loads(body)
    except ValueError:
        return squash(body, 100) if body else "(empty body)"
    if not isinstance(j, dict):
        return squash(body, 100)
    code = j.get("code", "?")
    details = j.get("details")
    if isinstance(details, dict) and details:
        parts = [f"{k}: {normalize(str(v))}" for k, v in sorted(details.items())]
        return f"{code} ({'; '.join(parts)})"
    return f"{code} ({normalize(str(j.get('error', '')))})"


def kind_of(check, failure, status, body):
    msg = failure.get("message", "")
    title = failure.get("title", "")
    if check == "status_code_conformance":
        return f"{status} is not documented: {server_error(body)}"
    if check == "positive_data_acceptance":
        return f"schema-valid request refused with {status} {server_error(body)}"
    if check == "negative_data_rejection":
        m = re.search(r"Invalid component: (.*)", msg, re.S)
        comp = normalize(m.group(1)) if m else "?"
        return f"schema-invalid request accepted with {status}; invalid: {comp}"
    if check == "not_a_server_error":
        return f"{status}: {squash(body, 120)}"
    if check == "response_schema_conformance":
        lines = [l.strip() for l in msg.splitlines() if l.strip()]
        return f"{title}: {normalize(' / '.join(lines[:3]))}"
    if check in ("content_type_conformance", "response_headers_conformance", "missing_required_header",
                 "unsupported_method", "allow_header_conformance"):
        return f"{title}: {normalize(' / '.join(l.strip() for l in msg.splitlines() if l.strip())[:200])}"
    return f"{title}: {normalize(msg.splitlines()[0] if msg else '')}"


def curl_for(request, body_text):
    if not request:
        return None
    method = request.get("method", "GET")
    uri = re.sub(r"^https?://[^/]+", "$BASE", request.get("uri", ""))
    parts = ["curl", "-sS", "-i"]
    if method != "GET":
        parts += ["-X", method]
    parts.append(uri if "'" not in uri else uri)
    cmd = " ".join(shlex.quote(p) if p != uri else f'"{uri}"' for p in parts)
    cmd += ' -H "Authorization: Bearer $KEY"'
    headers = request.get("headers") or {}
    for name, values in headers.items():
        if name.lower() in ("authorization", "user-agent", "accept-encoding", "connection", "content-length",
                            "x-schemathesis-testcaseid", "accept"):
            continue
        for v in values if isinstance(values, list) else [values]:
            cmd += " -H " + shlex.quote(f"{name}: {v}")
    if body_text:
        cmd += " --data-binary " + shlex.quote(body_text if len(body_text) < 1500 else body_text[:1500] + "…")
    return cmd


def main():
    outdir = sys.argv[1]
    groups = defaultdict(lambda: {"ops": set(), "where": set(), "example": None, "count": 0})
    tested = defaultdict(set)  # run -> operations
    failing = defaultdict(set)  # run -> operations
    errors = []
    st_counts = {}
    for path in sorted(glob.glob(os.path.join(outdir, "*.ndjson"))):
        run = os.path.basename(path)[: -len(".ndjson")]
        rc_path = os.path.join(outdir, run + ".rc")
        rc = open(rc_path).read().strip() if os.path.exists(rc_path) else "?"
        seen_ids = set()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                (name, data), = event.items()
                if "Error" in name:
                    errors.append(f"{run}: {name}: {squash(json.dumps(data), 300)}")
                    continue
                if name != "ScenarioFinished":
                    continue
                rec = data.get("recorder") or {}
                label = rec.get("label", "")
                if LABEL.match(label) and data.get("status") != "skip":
                    tested[run].add(label)
                for cid, checks in (rec.get("checks") or {}).items():
                    case = ((rec.get("cases") or {}).get(cid) or {}).get("value") or {}
                    inter = (rec.get("interactions") or {}).get(cid) or {}
                    for c in checks:
                        if c.get("status") != "failure":
                            continue
                        failure = (c.get("failure_info") or {}).get("failure") or {}
                        op = failure.get("operation") or ""
                        if not LABEL.match(op):
                            op = f"{case.get('method', '?')} {case.get('path', '?')}"
                        response = inter.get("response") or {}
                        status = response.get("status_code", "?")
                        body = decode(response.get("content"))
                        kind = kind_of(c["name"], failure, status, body)
                        fid = (c["name"], op, kind)
                        if (fid, cid) in seen_ids:
                            continue
                        seen_ids.add((fid, cid))
                        failing[run].add(op)
                        g = groups[(c["name"], kind)]
                        g["ops"].add(op)
                        g["where"].add(run)
                        g["count"] += 1
                        if g["example"] is None:
                            request = inter.get("request") or {}
                            g["example"] = {
                                "op": op,
                                "run": run,
                                "phase": data.get("phase"),
                                "curl": curl_for(request, decode(request.get("body"))),
                                "response": f"{status} {squash(body, 300)}",
                                "code": failure.get("code", ""),
                            }
        st_counts[run] = rc
    for path in sorted(glob.glob(os.path.join(outdir, "*.fixtures.*.rc"))):
        errors.append(f"{os.path.basename(path)[:-3]}: the test data could not be created (see the log above)")
        if rc not in ("0", "1"):
            errors.append(f"{run}: schemathesis exited {rc} (see {run}.log)")

    by_check = defaultdict(list)
    for (check, kind), g in groups.items():
        by_check[check].append((kind, g))
    if by_check:
        print("  --- schemathesis failures by check and kind (one reproduction each;")
        print("      BASE=http://127.0.0.1:PORT, KEY=a key of the organization named in [where])")
    for check in sorted(by_check, key=lambda c: -sum(len(g["ops"]) for _, g in by_check[c])):
        kinds = sorted(by_check[check], key=lambda kg: (-len(kg[1]["ops"]), kg[0]))
        n_ops = sum(len(g["ops"]) for _, g in kinds)
        print(f"  {check}: {len(kinds)} kinds, {n_ops} operation×kind")
        for kind, g in kinds:
            ex = g["example"]
            where = ",".join(sorted(g["where"]))
            ops = sorted(g["ops"])
            shown = ", ".join(ops[:6]) + (f", … ({len(ops)} operations)" if len(ops) > 6 else "")
            print(f"    - [{ex['code']}] {kind}")
            print(f"      on: {shown}")
            print(f"      where: {where}; example ({ex['run']}, {ex['phase']}): {ex['op']}")
            if ex["curl"]:
                print(f"      $ {ex['curl']}")
            print(f"      -> {ex['response']}")
    for e in errors:
        print(f"  ERROR {e}")
    passed = sum(len(tested[r] - failing[r]) for r in tested)
    failed = sum(len(failing[r]) for r in failing) + len(errors)
    for run in sorted(set(tested) | set(failing)):
        print(f"  {run}: {len(tested[run])} operations tested, {len(failing[run])} with failures (exit {st_counts.get(run, '?')})")
    print(f"PASSED {passed} FAILED {failed}")


if __name__ == "__main__":
    main()
