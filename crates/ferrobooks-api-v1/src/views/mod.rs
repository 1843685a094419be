//! The native API's own shapes, one module per area of the service: each
//! view is built from a use case's result and each input turned into a
//! use case's input by a `From` that destructures every field, so a field
//! added in the service does not compile until the native API shows it or
//! reads it. Their serialization is the service's field for field (an
//! Idempotency-Key replay, stored by the service, is byte for byte the
//! first reply; `tests/it/idempotency.rs` proves it for every POST).

pub mod accounts;
pub mod aging;
pub mod bank_rules;
pub mod banking;
pub mod bill_payments;
pub mod budgets;
pub mod comparison;
pub mod contacts;
pub mod deposits;
pub mod expenses;
pub mod financials;
pub mod fixed_assets;
pub mod fx_revaluations;
pub mod gst_returns;
pub mod journal;
pub mod keys;
pub mod loans;
pub mod matching;
pub mod money;
pub mod numbering;
pub mod orgs;
pub mod payroll;
pub mod periods;
pub mod products;
pub mod purchases;
pub mod reconciliations;
pub mod reports;
pub mod sales;
pub mod subscriptions;
pub mod summaries;
pub mod tax_returns;
pub mod taxes;
pub mod transfers;
pub mod users;
pub mod webhooks;

/// Each of a use case's results as its view.
pub fn each<S, T: From<S>>(items: Vec<S>) -> Vec<T> {
    items.into_iter().map(T::from).collect()
}

/// A use case's error with its fields named as this API names them
/// (`names`: the service's name, the native one).
pub fn renamed(
    mut e: ferrobooks_service::ServiceError,
    names: &[(&str, &str)],
) -> ferrobooks_service::ServiceError {
    for (field, _) in &mut e.fields {
        if let Some((_, native)) = names.iter().find(|(svc, _)| svc == field) {
            *field = (*native).to_owned();
        }
    }
    e
}
