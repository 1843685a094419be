"""The importer reference's complete Python example, run as it is printed
there against a running Ferrobooks: only BASE and TOKEN differ (the
server's address and the key it printed). The sample's customers and items
are made first through the native API (the reference imports into books
that have them), and its sample CSV is written as invoices.csv in the
working directory. Then the import's outcome is checked: three invoices,
1001 with two lines, totals exact.

Prints `RESULT passed failed` last.
"""

import argparse
import contextlib
import io

import requests

SAMPLE = """Invoice #,Customer,Date,Item,Amount,Memo
1001,Acme Corp,2026-03-01,Consulting,1500.00,Q1 services
1001,Acme Corp,2026-03-01,Travel,350.00,Client site visit
1002,Beta Inc,2026-03-05,Consulting,2000.00,March retainer
1003,Gamma LLC,2026-03-10,Software License,899.99,Annual renewal
"""

# Verbatim from the reference ("Complete Example"), indentation restored.
EXAMPLE = '''
"""Import invoices into QuickBooks via Synder Importer API."""
import requests, uuid, time

BASE = "https://importer.synder.com/api/v1"
TOKEN = "YOUR_API_TOKEN"
headers = {"Authorization": f"Bearer {TOKEN}"}

# 1. Get your company
companies = requests.get(f"{BASE}/companies", headers=headers).json()
company = next(c for c in companies if c["status"] == "ACTIVE")
cid = company["id"]
print(f"Using company: {company['companyName']} ({company['provider']})")

# 2. List required fields for Invoice
fields = requests.get(f"{BASE}/companies/{cid}/entities/Invoice/fields", headers=headers).json()
required = [f for f in fields if f["isRequired"]]
print(f"Required fields: {[f['title'] for f in required]}")

# 3. Create a mapping
mapping = requests.post(f"{BASE}/companies/{cid}/mappings",
    headers={**headers, "Content-Type": "application/json"},
    json={
        "title": "Invoice Import",
        "entityName": "Invoice",
        "fields": [
            {"sourceFieldTitle": "Invoice #", "targetFieldId": "231"},
            {"sourceFieldTitle": "Customer", "targetFieldId": "176"},
            {"sourceFieldTitle": "Date", "targetFieldId": "179"},
            {"sourceFieldTitle": "Item", "targetFieldId": "232"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "237"},
        ]
    }).json()
print(f"Mapping created: {mapping['id']}")

# 4. Upload file & start import
imp = requests.post(f"{BASE}/companies/{cid}/imports",
    headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    files={"file": open("invoices.csv", "rb")},
    data={"mappingId": mapping["id"]}
).json()
print(f"Import {imp['id']} started \u2014 status: {imp['status']}")

# 5. Poll until done
terminal = {"FINISHED", "FINISHED_WITH_WARNINGS", "FAILED", "CANCELED"}
delay = 2
while True:
    status = requests.get(f"{BASE}/companies/{cid}/imports/{imp['id']}", headers=headers).json()
    print(f"  Status: {status['status']}")
    if status["status"] in terminal:
        break
    time.sleep(delay)
    delay = min(delay * 1.5, 30)

# 6. Show results
results = requests.get(f"{BASE}/companies/{cid}/imports/{imp['id']}/results", headers=headers).json()
for r in results["data"]:
    icon = "\u2705" if r["type"] == "INFO" else "\u26a0\ufe0f" if r["type"] == "WARNING" else "\u274c"
    print(f"  {icon} Row {r['orderNumber']}: {r['text']}")
s = status["summary"]
print(f"\\nDone: {s['succeeded']} succeeded, {s['failed']} failed, {s['warnings']} warnings")
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--label", required=True)
    a = ap.parse_args()
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"  ok   {a.label}: {what}")
        else:
            failed += 1
            print(f"  FAIL {a.label}: {what}")

    h = {"Authorization": f"Bearer {a.key}"}
    for name in ["Acme Corp", "Beta Inc", "Gamma LLC"]:
        requests.post(f"{a.base}/api/v1/customers", headers=h, json={"name": name}).raise_for_status()
    for name in ["Consulting", "Travel", "Software License"]:
        requests.post(f"{a.base}/api/v1/products", headers=h, json={"name": name, "type": "service"}).raise_for_status()
    with open("invoices.csv", "w", encoding="utf-8") as f:
        f.write(SAMPLE)

    code = EXAMPLE.replace("https://importer.synder.com/api/v1", f"{a.base}/api/v1").replace(
        "YOUR_API_TOKEN", a.key
    )
    out = io.StringIO()
    scope = {}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "importer-reference-example", "exec"), scope)
        check(True, "the reference's complete Python example ran unchanged")
    except Exception as e:  # noqa: BLE001 - any failure of the example is the finding
        check(False, f"the reference's example raised {type(e).__name__}: {e}")
    for line in out.getvalue().splitlines():
        print(f"  | {line}")
    status = scope.get("status", {})
    check(status.get("status") == "FINISHED", f"the import FINISHED ({status.get('status')})")
    check(
        status.get("summary") == {"total": 3, "succeeded": 3, "failed": 0, "warnings": 0},
        f"summary {status.get('summary')}",
    )
    results = scope.get("results", {}).get("data", [])
    check([r.get("orderNumber") for r in results] == [2, 4, 5], "results at rows 2, 4 and 5")
    totals = {}
    for r in results:
        inv = requests.get(f"{a.base}/api/v1/invoices/{r['objectProviderId']}", headers=h).json()
        # Posted; dated March 2026, so the due-date job may have marked them overdue.
        posted = inv.get("status") in ("approved", "overdue")
        totals[inv.get("number")] = (inv.get("total"), len(inv.get("lines", [])), posted)
    check(
        totals == {"1001": (1850.0, 2, True), "1002": (2000.0, 1, True), "1003": (899.99, 1, True)},
        f"invoices as the file says, posted: {totals}",
    )
    print(f"RESULT {passed} {failed}")


if __name__ == "__main__":
    main()
