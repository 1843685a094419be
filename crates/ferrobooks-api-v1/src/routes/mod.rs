//! The native API, one module per resource; each file mirrors its path
//! (`/api/v1/invoices` is `invoices.rs`).

pub mod accounts;
pub mod aging;
pub mod bank_accounts;
pub mod bank_payments;
pub mod bank_rules;
pub mod bank_transactions;
pub mod bill_payments;
pub mod bills;
pub mod budgets;
pub mod checks;
pub(crate) mod contacts;
pub mod credit_card_charges;
pub mod credit_card_credits;
pub mod credit_notes;
pub mod customers;
pub mod deposits;
pub(crate) mod document_bodies;
pub(crate) mod documents;
pub mod employees;
pub mod estimates;
pub mod events;
pub mod expenses;
pub mod fixed_assets;
pub mod fx_revaluations;
pub mod general_ledger;
pub mod invoices;
pub mod journal_entries;
pub mod keys;
pub mod loans;
pub mod number_series;
pub mod oauth_apps;
pub mod organization;
pub mod pay_items;
pub mod payments;
pub mod payroll_remittances;
pub mod payroll_runs;
pub mod periods;
pub mod personal_access_tokens;
pub mod products;
pub mod purchase_orders;
pub mod reconciliations;
pub mod refund_receipts;
pub(crate) mod report_formats;
pub mod reports;
pub mod sales_receipts;
pub mod subscriptions;
pub mod summaries;
pub mod tax_returns;
pub mod taxes;
pub mod transfers;
pub mod users;
pub mod vendor_credits;
pub mod vendors;
pub mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use ferrobooks_edge::AppState;

/// Every `/api/v1` route; each requires an API key with the route's scope.
/// A route is registered with its `#[utoipa::path]` (path, methods and
/// OpenAPI entry in one place), so what is served is what is documented.
pub fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(organization::routes())
        .merge(accounts::routes())
        .merge(bank_accounts::routes())
        .merge(bank_transactions::routes())
        .merge(bank_rules::routes())
        .merge(reconciliations::routes())
        .merge(customers::routes())
        .merge(vendors::routes())
        .merge(bills::routes())
        .merge(bill_payments::routes())
        .merge(vendor_credits::routes())
        .merge(purchase_orders::routes())
        .merge(expenses::routes())
        .merge(products::routes())
        .merge(journal_entries::routes())
        .merge(keys::routes())
        .merge(users::routes())
        .merge(personal_access_tokens::routes())
        .merge(oauth_apps::routes())
        .merge(general_ledger::routes())
        .merge(reports::routes())
        .merge(aging::routes())
        .merge(summaries::routes())
        .merge(taxes::routes())
        .merge(tax_returns::routes())
        .merge(transfers::routes())
        .merge(loans::routes())
        .merge(fixed_assets::routes())
        .merge(employees::routes())
        .merge(pay_items::routes())
        .merge(payroll_runs::routes())
        .merge(payroll_remittances::routes())
        .merge(subscriptions::routes())
        .merge(budgets::routes())
        .merge(deposits::routes())
        .merge(checks::routes())
        .merge(bank_payments::routes())
        .merge(credit_card_charges::routes())
        .merge(credit_card_credits::routes())
        .merge(fx_revaluations::routes())
        .merge(webhooks::routes())
        .merge(events::routes())
        .merge(invoices::routes())
        .merge(estimates::routes())
        .merge(credit_notes::routes())
        .merge(sales_receipts::routes())
        .merge(refund_receipts::routes())
        .merge(payments::routes())
        .merge(number_series::routes())
        .merge(periods::routes())
}

#[cfg(test)]
mod tests {
    use axum::http::Method;
    use ferrobooks_edge::route_table::RouteTable;

    #[test]
    fn every_operation_declares_a_scope_keys_can_hold() {
        let (_, doc) = super::api_v1().split_for_parts();
        let table = RouteTable::from_openapi(&doc).expect("every operation has one scope");
        assert!(table.len() > 80, "{} operations", table.len());
        let s = table.get(&Method::GET, "/api/v1/invoices/{id}").unwrap();
        assert_eq!(
            (s.scope.to_string(), s.csv),
            ("invoices:read".into(), false)
        );
        let mut csv: Vec<&str> = table
            .iter()
            .filter(|(_, r)| r.csv)
            .map(|((_, path), _)| path.as_str())
            .collect();
        csv.sort_unstable();
        assert_eq!(
            csv,
            [
                "/api/v1/general_ledger",
                "/api/v1/reports/account_transactions",
                "/api/v1/reports/ap_aging",
                "/api/v1/reports/ar_aging",
                "/api/v1/reports/balance_sheet",
                "/api/v1/reports/cash_flow",
                "/api/v1/reports/expenses_by_category",
                "/api/v1/reports/expenses_by_vendor",
                "/api/v1/reports/general_ledger",
                "/api/v1/reports/profit_and_loss",
                "/api/v1/reports/sales_by_customer",
                "/api/v1/reports/sales_by_product",
                "/api/v1/reports/tax_summary",
                "/api/v1/reports/trial_balance",
            ],
            "the routes that answer CSV"
        );
        assert_eq!(table.get(&Method::HEAD, "/api/v1/invoices/{id}"), Some(s));
        assert!(table.get(&Method::GET, "/api/v1/nowhere").is_none());
    }

    #[test]
    fn an_operation_without_a_scope_is_refused() {
        let mut doc = super::api_v1().split_for_parts().1;
        let item = doc.paths.paths.get_mut("/api/v1/invoices/{id}").unwrap();
        if let Some(op) = item.get.as_mut() {
            op.security = None;
        }
        let e = RouteTable::from_openapi(&doc).unwrap_err();
        assert!(e.to_string().contains("GET /api/v1/invoices/{id}"), "{e}");
    }
}
