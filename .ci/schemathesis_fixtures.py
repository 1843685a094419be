"""Test data for schemathesis: creates, as one organization, a few objects
of every kind that an operation on `/{id}` needs (customers, accounts,
products, taxes, journal entries, invoices draft and approved, estimates,
credit notes, payments with their allocations, receipts, keys) and prints a
schemathesis.toml fragment: a dictionary of their ids per kind, and for each
`{id}` operation a binding that draws the id from it most of the time (the
rest stay generated, so that 404s are exercised too).

    python schemathesis_fixtures.py BASE KEY COUNTRY > fragment.toml

Exits 1 (with what failed on stderr) when an object cannot be created.
"""

import datetime
import json
import sys
import urllib.error
import urllib.request

BASE, KEY, COUNTRY = sys.argv[1:4]
TODAY = datetime.date.today().isoformat()
PROBABILITY = 0.8


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {KEY}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        sys.exit(f"fixtures: {method} {path} {json.dumps(body)} -> {e.code} {e.read().decode()[:500]}")


def account(code):
    data = call("GET", f"/api/v1/accounts?search={code}")["data"]
    return next(a["id"] for a in data if a["code"] == code)


ids = {k: [] for k in (
    "accounts", "customers", "products", "taxes", "journal_entries", "invoices", "estimates",
    "credit_notes", "credit_note_allocations", "payments", "payment_allocations",
    "sales_receipts", "refund_receipts", "keys", "bank_accounts", "bank_transactions", "transfers", "fx_revaluations", "bank_rules", "deposits",
    "checks", "bank_payments", "credit_card_charges", "credit_card_credits",
)}
bank, sales = account("1200"), account("4000")
line = {"description": "Fixture", "quantity": "1", "unit_price": "100.00"}
for n in range(2):
    ids["accounts"].append(call("POST", "/api/v1/accounts", {"code": f"FIX-{n}", "name": f"Fixture {n}", "type": "expense"})["id"])
    c = call("POST", "/api/v1/customers", {"name": f"Fixture customer {n}"})["id"]
    ids["customers"].append(c)
    ids["products"].append(call("POST", "/api/v1/products", {"name": f"Fixture product {n}", "price": "10.00"})["id"])
    if COUNTRY == "IN":
        tax = {"name": f"GST fixture {n}", "kind": "gst", "rate": 5}
    else:
        tax = {"name": f"Sales tax fixture {n}", "kind": "sales_tax", "components": [{"name": "State", "rate": "5"}]}
    ids["taxes"].append(call("POST", "/api/v1/taxes", tax)["id"])
    ids["journal_entries"].append(call("POST", "/api/v1/journal_entries", {
        "date": TODAY, "lines": [{"account_id": bank, "debit": "1.00"}, {"account_id": sales, "credit": "1.00"}]})["id"])
    ids["journal_entries"].append(call("POST", "/api/v1/journal_entries", {
        "date": TODAY, "post": True, "lines": [{"account_id": bank, "debit": "2.00"}, {"account_id": sales, "credit": "2.00"}]})["id"])
    ids["invoices"].append(call("POST", "/api/v1/invoices", {"customer_id": c, "lines": [line]})["id"])
    approved = call("POST", "/api/v1/invoices", {"customer_id": c, "approve": True, "lines": [dict(line, unit_price="1000.00")]})
    ids["invoices"].append(approved["id"])
    ids["estimates"].append(call("POST", "/api/v1/estimates", {"customer_id": c, "lines": [line]})["id"])
    ids["credit_notes"].append(call("POST", "/api/v1/credit_notes", {"customer_id": c, "lines": [line]})["id"])
    cn = call("POST", "/api/v1/credit_notes", {"customer_id": c, "approve": True, "lines": [dict(line, unit_price="50.00")]})
    ids["credit_notes"].append(cn["id"])
    call("POST", f"/api/v1/credit_notes/{cn['id']}/apply", {"applications": [{"invoice_id": approved["id"], "amount": "20.00"}]})
    # (a bare array, not the list envelope)
    ids["credit_note_allocations"] += [a["id"] for a in call("GET", f"/api/v1/credit_notes/{cn['id']}/allocations")]
    p = call("POST", "/api/v1/payments", {"customer_id": c, "amount": "300.00", "deposit_account_id": bank,
                                          "applications": [{"invoice_id": approved["id"], "amount": "200.00"}]})
    ids["payments"].append(p["id"])
    ids["payment_allocations"] += [a["id"] for a in p["applications"]]
    ids["sales_receipts"].append(call("POST", "/api/v1/sales_receipts", {"customer_id": c, "deposit_account_id": bank, "lines": [line]})["id"])
    ids["refund_receipts"].append(call("POST", "/api/v1/refund_receipts", {"customer_id": c, "deposit_account_id": bank, "lines": [line]})["id"])
    ids["keys"].append(call("POST", "/api/v1/keys/generate", {"name": f"fixture {n}"})["id"])
    ids["bank_accounts"].append(call("POST", "/api/v1/bank_accounts", {"name": f"Fixture bank {n}"})["id"])
    ids["bank_transactions"].append(call("POST", "/api/v1/bank_transactions", {
        "bank_account_id": bank, "date": TODAY, "amount": "-1.00", "description": f"Fixture fee {n}"})["id"])
    ids["transfers"].append(call("POST", "/api/v1/transfers", {
        "from_account_id": bank, "to_account_id": ids["bank_accounts"][-1], "amount": "1.00"})["id"])
    ids["bank_rules"].append(call("POST", "/api/v1/bank_rules", {
        "name": f"Fixture rule {n}", "description_contains": "fixture", "action": "mark"})["id"])
    waiting = call("POST", "/api/v1/payments", {"customer_id": c, "amount": "3.00"})["id"]
    ids["deposits"].append(call("POST", "/api/v1/deposits", {"account_id": bank, "payment_ids": [waiting]})["id"])
    ids["fx_revaluations"].append(call("POST", "/api/v1/fx_revaluations", {"date": TODAY, "rates": {}})["id"])
    cost = ids["accounts"][-1]
    for kind in ("checks", "bank_payments", "credit_card_charges", "credit_card_credits"):
        ids[kind].append(call("POST", f"/api/v1/{kind}", {"lines": [{"unit_price": "4.00", "account_id": cost}]})["id"])

# Which dictionary each `{id}` (and `{allocation_id}`) of a path draws from.
bindings = [
    (r"^/api/v1/accounts/\{id\}", {"id": "accounts"}),
    (r"^/api/v1/customers/\{id\}", {"id": "customers"}),
    (r"^/api/v1/products/\{id\}", {"id": "products"}),
    (r"^/api/v1/taxes/\{id\}", {"id": "taxes"}),
    (r"^/api/v1/journal_entries/\{id\}", {"id": "journal_entries"}),
    (r"^/api/v1/invoices/\{id\}", {"id": "invoices"}),
    (r"^/api/v1/estimates/\{id\}", {"id": "estimates"}),
    (r"^/api/v1/credit_notes/\{id\}", {"id": "credit_notes", "allocation_id": "credit_note_allocations"}),
    (r"^/api/v1/payments/\{id\}", {"id": "payments", "allocation_id": "payment_allocations"}),
    (r"^/api/v1/sales_receipts/\{id\}", {"id": "sales_receipts"}),
    (r"^/api/v1/refund_receipts/\{id\}", {"id": "refund_receipts"}),
    (r"^/api/v1/keys/\{id\}", {"id": "keys"}),
    (r"^/api/v1/bank_accounts/\{id\}", {"id": "bank_accounts"}),
    (r"^/api/v1/bank_transactions/\{id\}", {"id": "bank_transactions"}),
    (r"^/api/v1/transfers/\{id\}", {"id": "transfers"}),
    (r"^/api/v1/bank_rules/\{id\}", {"id": "bank_rules"}),
    (r"^/api/v1/deposits/\{id\}", {"id": "deposits"}),
    (r"^/api/v1/fx_revaluations/\{id\}", {"id": "fx_revaluations"}),
    (r"^/api/v1/checks/\{id\}", {"id": "checks"}),
    (r"^/api/v1/bank_payments/\{id\}", {"id": "bank_payments"}),
    (r"^/api/v1/credit_card_charges/\{id\}", {"id": "credit_card_charges"}),
    (r"^/api/v1/credit_card_credits/\{id\}", {"id": "credit_card_credits"}),
]


def toml_str(s):
    return json.dumps(s)  # a JSON string is a valid TOML basic string here


out = ["", "# Generated by schemathesis_fixtures.py for this run."]
for name, values in ids.items():
    if values:
        out += [f"[dictionaries.{name}]", f"values = [{', '.join(toml_str(v) for v in values)}]"]
for regex, params in bindings:
    usable = {p: d for p, d in params.items() if ids[d]}
    if not usable:
        continue
    inner = ", ".join(f'"path.{p}" = {{ dictionary = "{d}", probability = {PROBABILITY} }}' for p, d in usable.items())
    out += ["[[operations]]", f"include-path-regex = {toml_str(regex)}", f"parameters = {{ {inner} }}"]
doc_types = [s["doc_type"] for s in call("GET", "/api/v1/number_series")]  # a bare array
out += ["[dictionaries.doc_types]", f"values = [{', '.join(toml_str(v) for v in doc_types)}]",
        "[[operations]]", 'include-path-regex = "^/api/v1/number_series/"',
        f'parameters = {{ "path.doc_type" = {{ dictionary = "doc_types", probability = {PROBABILITY} }} }}']
print("\n".join(out))
print(f"fixtures: {sum(len(v) for v in ids.values())} objects", file=sys.stderr)
