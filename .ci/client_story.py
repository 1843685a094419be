"""A customer's invoice, approved and paid, through the Python client that
openapi-python-client generated from the server's own OpenAPI document:
its functions (api.<tag>.<operation>.sync_detailed) and its models, never
raw HTTP. Every step must answer a documented status with the documented
model; undocumented statuses raise (raise_on_unexpected_status).

    python client_story.py --base http://127.0.0.1:PORT --key sk_live_... --label sqlite

Prints one line per step and `RESULT <passed> <failed>` last; exits 1 when a
step failed.
"""

import argparse
import datetime
import sys
import traceback
from decimal import Decimal

from ferrobooks_client import AuthenticatedClient
from ferrobooks_client.api.customers import customers_create as create_customer
from ferrobooks_client.api.invoices import invoices_approve as approve_invoice
from ferrobooks_client.api.invoices import invoices_create as create_invoice
from ferrobooks_client.api.invoices import invoices_list as list_invoices
from ferrobooks_client.api.invoices import invoices_show as show_invoice
from ferrobooks_client.api.payments import payments_create as create_payment
from ferrobooks_client.api.payments import payments_show as show_payment
from ferrobooks_client.api.reports import reports_trial_balance as trial_balance
from ferrobooks_client.models import (
    ApplicationInput,
    CustomerCreate,
    CustomerView,
    DocLineInput,
    InvoiceCreate,
    DocumentView,
    PaymentInput,
    PaymentView,
    TrialBalance,
)
from ferrobooks_client.types import Response


class StepFailed(Exception):
    pass


def expect(resp: Response, status: int, model: type):
    """The parsed body of a `status` answer, which must be a `model`."""
    if resp.status_code != status:
        raise StepFailed(
            f"HTTP {int(resp.status_code)}, expected {status}: {resp.content[:500].decode(errors='replace')}"
        )
    if not isinstance(resp.parsed, model):
        raise StepFailed(f"parsed as {type(resp.parsed).__name__}, expected {model.__name__}")
    return resp.parsed


def money(x) -> Decimal:
    # The generated models type amounts as float (the document says
    # `number`); compare them as decimals of their shortest repr.
    return Decimal(str(x))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    client = AuthenticatedClient(base_url=args.base, token=args.key, raise_on_unexpected_status=True)
    today = datetime.date.today()
    state: dict = {}
    passed = failed = 0

    def step(name, fn):
        nonlocal passed, failed
        try:
            detail = fn()
            passed += 1
            print(f"  ok   {args.label}: {name}" + (f" ({detail})" if detail else ""), flush=True)
            return True
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            if isinstance(e, StepFailed):
                msg = str(e)
            else:
                msg = "".join(traceback.format_exception_only(type(e), e)).strip()
            print(f"  FAIL {args.label}: {name}: {msg}", flush=True)
            return False

    def customer():
        c = expect(
            create_customer.sync_detailed(client=client, body=CustomerCreate(name="Acme (client story)", payment_terms=30)),
            201,
            CustomerView,
        )
        state["customer"] = c.id
        return c.id

    def invoice():
        body = InvoiceCreate(
            customer_id=state["customer"],
            date=today,
            lines=[DocLineInput(description="Consulting", quantity="3", unit_price="150.00")],
        )
        inv = expect(create_invoice.sync_detailed(client=client, body=body), 201, DocumentView)
        if inv.status != "draft" or money(inv.total) != Decimal("450"):
            raise StepFailed(f"status {inv.status}, total {inv.total}; expected draft, 450.00")
        state["invoice"] = inv.id
        return f"{inv.id}, total {inv.total}"

    def approve():
        inv = expect(approve_invoice.sync_detailed(state["invoice"], client=client), 200, DocumentView)
        if inv.status != "approved" or not inv.number or not inv.journal_entry_id:
            raise StepFailed(f"status {inv.status}, number {inv.number}, entry {inv.journal_entry_id}")
        state["total"] = inv.total
        return f"{inv.number}, {inv.status}"

    def payment():
        total = str(money(state["total"]))
        body = PaymentInput(
            customer_id=state["customer"],
            date=today,
            amount=total,
            applications=[ApplicationInput(invoice_id=state["invoice"], amount=total)],
        )
        p = expect(create_payment.sync_detailed(client=client, body=body), 201, PaymentView)
        if money(p.applied) != money(state["total"]) or money(p.unapplied) != 0:
            raise StepFailed(f"applied {p.applied}, unapplied {p.unapplied}; expected {total}, 0")
        state["payment"] = p.id
        return f"{p.number}, applied {p.applied}"

    def payment_back():
        p = expect(show_payment.sync_detailed(state["payment"], client=client), 200, PaymentView)
        if [a.invoice_id for a in p.applications] != [state["invoice"]]:
            raise StepFailed(f"applications {p.applications}")
        return None

    def invoice_back():
        inv = expect(show_invoice.sync_detailed(state["invoice"], client=client), 200, DocumentView)
        if inv.status != "paid" or money(inv.balance) != 0:
            raise StepFailed(f"status {inv.status}, balance {inv.balance}; expected paid, 0")
        return f"{inv.status}, balance {inv.balance}"

    def invoice_listed():
        resp = list_invoices.sync_detailed(client=client, limit=100)
        if resp.status_code != 200 or resp.parsed is None or not hasattr(resp.parsed, "data"):
            raise StepFailed(f"HTTP {int(resp.status_code)}: {resp.content[:300]!r}")
        mine = [d for d in resp.parsed.data if d.id == state["invoice"]]
        if len(mine) != 1 or mine[0].status != "paid":
            raise StepFailed(f"the invoice is not listed as paid: {mine}")
        return None

    def trial_balance_today():
        tb = expect(trial_balance.sync_detailed(client=client, as_of=today), 200, TrialBalance)
        sales = [r for r in tb.rows if r.code == "4000"]
        if money(tb.total_debit) != money(tb.total_credit) or not sales or money(sales[0].credit) < money(state["total"]):
            raise StepFailed(f"totals {tb.total_debit}/{tb.total_credit}, sales rows {sales}")
        return f"sales credit {sales[0].credit}"

    for name, fn in [
        ("create a customer", customer),
        ("create an invoice with one line", invoice),
        ("approve the invoice", approve),
        ("record a payment applying the full amount", payment),
        ("read the payment back", payment_back),
        ("read the invoice back: paid, balance 0", invoice_back),
        ("list invoices: the invoice is paid", invoice_listed),
        ("the trial balance as of today shows the sale", trial_balance_today),
    ]:
        if not step(name, fn):
            break  # the next steps need this one
    print(f"RESULT {passed} {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
