"""Cross-checks our reports against ledger-cli, hledger and beancount.

Builds books through the API of a running server (a seeded random mix of
invoices, payments, credit notes, bills, bill payments, vendor credits,
voids and journal entries), exports them with `ferrobooks export` in each
dialect, and compares, account by account:

- our trial balance with `hledger bal`, `ledger bal` and beancount's own
  balances (after `bean-check` accepts the file);
- our profit and loss of a range with `hledger bal` over the same range
  (an export with --from/--to, whose opening balances carry the rest).

Prints one line per check and `RESULT <passed> <failed>` last.
"""

import argparse
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx

passed = 0
failed = 0


def check(ok: bool, what: str, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
        print(f"  ok   {what}")
    else:
        failed += 1
        print(f"  FAIL {what} {detail}")


class Api:
    def __init__(self, base: str, key: str):
        self.c = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)

    def call(self, method: str, path: str, body=None, want=(200, 201)):
        r = self.c.request(method, path, json=body)
        if r.status_code not in want:
            raise SystemExit(f"{method} {path} -> {r.status_code}: {r.text}")
        return r.json(parse_float=Decimal) if r.content else None

    def all(self, path: str) -> list:
        items, cursor = [], None
        while True:
            page = self.call("GET", f"{path}?limit=100" + (f"&cursor={cursor}" if cursor else ""))
            items += page["data"]
            if not page["has_more"]:
                return items
            cursor = page["next_cursor"]


def build_books(api: Api, rng: random.Random) -> None:
    """A year of varied activity, every document kind that posts."""
    accounts = {a["code"]: a["id"] for a in api.all("/api/v1/accounts")}
    bank = accounts["1200"]
    supplies = api.call("POST", "/api/v1/accounts", {"code": "6150", "name": "Supplies: office", "type": "expense"})["id"]
    customers = [api.call("POST", "/api/v1/customers", {"name": n})["id"] for n in ("Acme \"Co\"", "Brook; Ltd", "Cove")]
    vendors = [api.call("POST", "/api/v1/vendors", {"name": n})["id"] for n in ("Paper Co", "Ink & Toner")]
    taxes = [api.call("POST", "/api/v1/taxes", {"name": "Austin 8.25%", "kind": "sales_tax",
                                                 "components": [{"name": "Texas", "rate": "6.25"},
                                                                {"name": "Austin", "rate": "2"}]})["id"]]
    invoices = []
    for i in range(rng.randint(12, 20)):
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        price = f"{rng.randint(100, 500000) / 100:.2f}"
        inv = api.call("POST", "/api/v1/invoices", {"customer_id": rng.choice(customers), "date": day,
                                                    "lines": [{"description": f"Work {i}", "unit_price": price,
                                                               "quantity": str(rng.randint(1, 3)),
                                                               **({"tax_id": rng.choice(taxes)} if taxes and rng.random() < 0.7 else {})}]})
        inv = api.call("POST", f"/api/v1/invoices/{inv['id']}/approve", {})
        invoices.append(inv)
    for inv in invoices:
        roll = rng.random()
        if roll < 0.5:
            total = Decimal(inv["total"])
            amount = total if rng.random() < 0.6 else (total / 2).quantize(Decimal("0.01"))
            api.call("POST", "/api/v1/payments", {"customer_id": inv["customer_id"], "date": inv["date"], "amount": str(amount),
                                                  "deposit_account_id": bank,
                                                  "applications": [{"invoice_id": inv["id"], "amount": str(amount)}]})
        elif roll < 0.6:
            api.call("POST", f"/api/v1/invoices/{inv['id']}/void", {})
    for c in customers:
        cn = api.call("POST", "/api/v1/credit_notes", {"customer_id": c, "date": "2026-06-30", "approve": True,
                                                       "lines": [{"description": "Returned", "unit_price": "12.34"}]})
        if rng.random() < 0.5:
            api.call("POST", f"/api/v1/credit_notes/{cn['id']}/refund", {"date": "2026-07-15", "amount": "10.00", "account_id": bank})
    for i in range(rng.randint(6, 12)):
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        price = f"{rng.randint(100, 90000) / 100:.2f}"
        v = rng.choice(vendors)
        bill = api.call("POST", "/api/v1/bills", {"vendor_id": v, "date": day, "approve": True,
                                                 "lines": [{"description": f"Supplies {i}", "unit_price": price, "account_id": supplies}]})
        if rng.random() < 0.6:
            api.call("POST", "/api/v1/bill_payments", {"vendor_id": v, "date": day, "amount": str(bill["total"]), "account_id": bank,
                                                       "applications": [{"bill_id": bill["id"], "amount": str(bill["total"])}]})
    api.call("POST", "/api/v1/vendor_credits", {"vendor_id": vendors[0], "date": "2026-08-01", "approve": True,
                                                "lines": [{"description": "Damaged", "unit_price": "5.55", "account_id": supplies}]})
    capital = accounts["3000"]
    api.call("POST", "/api/v1/journal_entries", {"date": "2026-01-01", "post": True, "memo": "Capital\nintroduced",
                                                 "lines": [{"account_id": bank, "debit": "25000.00"},
                                                           {"account_id": capital, "credit": "25000.00"}]})


def amount(text: str) -> Decimal:
    """`-1,234.50 USD` (or `0`) as a number."""
    m = re.search(r"-?[\d,]*\.?\d+", text)
    return Decimal(m.group(0).replace(",", "")) if m else Decimal(0)


def code_of(account: str) -> str:
    """The account code a journal name starts its leaf with."""
    leaf = account.split(":", 1)[1]
    return re.split(r"[ -]", leaf, maxsplit=1)[0]


def ours(api: Api) -> dict:
    tb = api.call("GET", "/api/v1/reports/trial_balance?as_of=2199-12-31")
    return {r["code"]: Decimal(r["debit"]) - Decimal(r["credit"]) for r in tb["rows"]}


def compare(label: str, mine: dict, theirs: dict) -> None:
    codes = sorted(set(mine) | set(theirs))
    diff = [(c, mine.get(c, 0), theirs.get(c, 0)) for c in codes if mine.get(c, 0) != theirs.get(c, 0)]
    check(not diff and bool(codes), f"{label}: {len(codes)} accounts equal", f"differ: {diff}")


def export(args, fmt: str, extra=()) -> Path:
    path = Path(args.tmp) / f"books.{args.label}.{fmt}{'.range' if extra else ''}"
    with path.open("w") as out:
        r = subprocess.run([args.bin, "export", "--database-url", args.db, "--org", args.org, "--format", fmt, *extra],
                           stdout=out, stderr=subprocess.PIPE, text=True)
    check(r.returncode == 0, f"ferrobooks export --format {fmt} {' '.join(extra)}", r.stderr)
    return path


def run(cmd) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        check(False, " ".join(map(str, cmd)), r.stderr[-2000:])
        return ""
    return r.stdout


def hledger_balances(path: Path, *extra) -> dict:
    out = run(["hledger", "-f", str(path), "bal", "--flat", "--no-total", "-O", "csv", *extra])
    bal = {}
    for line in out.splitlines()[1:]:
        acct, value = [f.strip('"') for f in re.findall(r'"[^"]*"|[^,]+', line)][:2]
        bal[code_of(acct)] = amount(value)
    return bal


def ledger_balances(path: Path) -> dict:
    out = run(["ledger", "-f", str(path), "bal", "--flat", "--no-total", "--format", "%(account)\t%(display_total)\n"])
    return {code_of(a): amount(v) for a, v in (line.split("\t") for line in out.splitlines() if "\t" in line)}


def beancount_balances(path: Path) -> dict:
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(path))
    check(not errors, "beancount loads the export without errors", str(errors[:3]))
    bal: dict = {}
    for e in entries:
        if isinstance(e, data.Transaction):
            for p in e.postings:
                bal[code_of(p.account)] = bal.get(code_of(p.account), Decimal(0)) + p.units.number
    return {k: v for k, v in bal.items() if v != 0}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--org", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--tmp", required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--seed", type=int, default=random.randrange(1 << 32))
    args = p.parse_args()
    print(f"  seed {args.seed} (--seed to replay)")
    api = Api(args.base, args.key)
    build_books(api, random.Random(args.seed))
    mine = {c: v for c, v in ours(api).items() if v != 0}

    h = export(args, "hledger")
    compare(f"{args.label}: trial balance = hledger bal", mine, hledger_balances(h))
    led = export(args, "ledger")
    compare(f"{args.label}: trial balance = ledger bal", mine, ledger_balances(led))
    b = export(args, "beancount")
    r = subprocess.run([str(Path(sys.executable).parent / "bean-check"), str(b)], capture_output=True, text=True)
    check(r.returncode == 0, f"{args.label}: bean-check accepts the export", r.stdout[-2000:] + r.stderr[-2000:])
    compare(f"{args.label}: trial balance = beancount", mine, beancount_balances(b))

    # The profit and loss of a range against hledger over an export of it.
    frm, to = "2026-04-01", "2026-09-30"
    pl = api.call("GET", f"/api/v1/reports/profit_and_loss?date_from={frm}&date_to={to}")
    sign = {"income": -1}
    pl_mine = {}
    for s in pl["sections"]:
        for line in s["lines"]:
            if Decimal(line["amount"]) != 0:
                pl_mine[line["code"]] = sign.get(s["key"], 1) * Decimal(line["amount"])
    ranged = export(args, "hledger", ("--from", frm, "--to", to))
    theirs = hledger_balances(ranged, "-b", frm, "-e", "2026-10-01", "^(Income|Expenses):")
    compare(f"{args.label}: profit and loss {frm}..{to} = hledger", pl_mine, theirs)
    print(f"RESULT {passed} {failed}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
