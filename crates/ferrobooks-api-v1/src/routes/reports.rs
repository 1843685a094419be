//! `/api/v1/reports/...`: JSON, CSV (`Accept: text/csv` or `?format=csv`)
//! or an XLSX workbook (`?format=xlsx`), see [`super::report_formats`].

use super::report_formats::{Cell, Format, Table, XLSX, names, respond};
use crate::views::comparison::comparison_table;
use crate::views::financials::{
    BalanceSheet, CashFlow, FinancialSummary, ProfitAndLoss, statement_table,
};
use crate::views::reports::{ContactStatement, TrialBalance};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::comparison::Compare;
use ferrobooks_service::contacts::Party;
use ferrobooks_service::filters::StatementFilter;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::CommonErrors;
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiQuery;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(trial_balance))
        .routes(routes!(profit_and_loss))
        .routes(routes!(balance_sheet))
        .routes(routes!(cash_flow))
        .routes(routes!(financial_summary))
        .routes(routes!(customer_statement))
        .routes(routes!(vendor_statement))
        .routes(routes!(budget_vs_actual))
}

/// A statement's query: its own fields, then the basis and the filters
/// every statement takes ([`StatementFilter`]).
macro_rules! statement_query {
    ($name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        #[derive(Debug, Deserialize, utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $name {
            $($(#[$fm])* $field: $ty,)*
            /// accrual (default): income and expenses when invoiced and
            /// billed; cash: when paid, each payment recognizing its share
            /// of the document's lines (taxes included).
            #[param(inline, example = "cash")]
            basis: Option<BasisParam>,
            /// Only these accounts and the accounts under them
            /// (comma-separated ids); totals are of what is shown.
            account_id: Option<String>,
            /// Only the entries of this customer or vendor (a line names
            /// it): its documents, payments and journal entries.
            contact_id: Option<String>,
            /// Only the entries the documents of this branch posted.
            #[param(example = "HQ")]
            branch: Option<String>,
        }

        impl $name {
            fn filter(&self) -> StatementFilter {
                StatementFilter {
                    basis: self.basis.map(|b| b.as_str().to_owned()),
                    account_id: self.account_id.clone(),
                    contact_id: self.contact_id.clone(),
                    branch: self.branch.clone(),
                }
            }
        }
    };
}

/// When income and expenses count.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BasisParam {
    Accrual,
    Cash,
}

impl BasisParam {
    fn as_str(self) -> &'static str {
        match self {
            BasisParam::Accrual => "accrual",
            BasisParam::Cash => "cash",
        }
    }
}

statement_query!(AsOf {
    /// The date of the balances, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    as_of: Option<String>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    format: Option<Format>,
});

/// Quotes a CSV field when it needs it (RFC 4180). Text that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

statement_query!(ComparedAsOf {
    /// The date of the balances, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    as_of: Option<String>,
    /// month, quarter or year: add columns as of the same day that much
    /// earlier.
    #[param(example = "month")]
    compare: Option<String>,
    /// How many columns with `compare`, this one included (1 to 36,
    /// default 2).
    #[param(minimum = 1, maximum = 36, example = 12)]
    periods: Option<i64>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    format: Option<Format>,
});

statement_query!(ComparedRange {
    /// First day, YYYY-MM-DD (default: the start of the fiscal year of
    /// `date_to`).
    #[param(value_type = Option<String>, format = Date, example = "2026-04-01")]
    date_from: Option<String>,
    /// Last day, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    date_to: Option<String>,
    /// month, quarter or year: add columns for the same range that much
    /// earlier, and before that (a month's last day stays the last day).
    #[param(example = "month")]
    compare: Option<String>,
    /// How many columns with `compare`, this one included (1 to 36,
    /// default 2).
    #[param(minimum = 1, maximum = 36, example = 12)]
    periods: Option<i64>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    format: Option<Format>,
});

#[utoipa::path(get, path = "/api/v1/reports/trial_balance", tag = "reports",
    summary = "Trial balance as of a date (JSON, CSV or XLSX)",
    description = "Every account's net balance as of the date, on its debit or credit side; the two totals are equal. `basis=cash` leaves out what open invoices, bills and credits still defer (their unpaid share of every line), `account_id`, `contact_id` and `branch` narrow it (see the parameters).",
    params(AsOf),
    responses((status = 200, description = "The trial balance: JSON, or with `Accept: text/csv` the lines code,name,type,debit,credit and a total line",
                content((TrialBalance = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn trial_balance(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let tb: TrialBalance = s
        .services
        .trial_balance(&ctx, p.as_of.as_deref(), &p.filter())
        .await?
        .into();
    respond(&headers, p.format, tb, |tb| {
        let mut rows: Vec<Vec<Cell>> = tb
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.code),
                    Cell::text(&r.name),
                    Cell::text(&r.account_type),
                    Cell::Amount(r.debit.as_str().to_owned()),
                    Cell::Amount(r.credit.as_str().to_owned()),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::text(""),
            Cell::text("Total"),
            Cell::text(""),
            Cell::Amount(tb.total_debit.as_str().to_owned()),
            Cell::Amount(tb.total_credit.as_str().to_owned()),
        ]);
        Table {
            title: "Trial balance",
            columns: names(&["code", "name", "type", "debit", "credit"]),
            rows,
        }
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct Range {
    /// First day, YYYY-MM-DD (default: the start of the fiscal year of
    /// `date_to`).
    #[param(value_type = Option<String>, format = Date, example = "2026-04-01")]
    pub(crate) date_from: Option<String>,
    /// Last day, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    pub(crate) date_to: Option<String>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    pub(crate) format: Option<Format>,
}

#[utoipa::path(get, path = "/api/v1/reports/profit_and_loss", tag = "reports",
    summary = "Profit and loss over a range (JSON, CSV or XLSX)",
    description = "Income, cost of sales (expense accounts of subtype direct_cost) and expenses of the posted lines dated in the range, each account on its normal side, with gross and net profit. `basis=cash` counts income, expenses and their taxes when paid: each payment, applied credit or refund recognizes its share of the document's lines. `account_id`, `contact_id` and `branch` narrow the statement (filtered by contact or branch it reads that contact's or branch's entries). With `compare=month|quarter|year&periods=N`, `comparison` lays out the same statement over the N ranges ending with this one, oldest first (and CSV/XLSX have one amount column per range). Read from the per-day balances: its cost does not grow with the journal.",
    params(ComparedRange),
    responses((status = 200, description = "The statement: JSON, or with `Accept: text/csv` the lines section,code,name,amount, each section's total and the profits",
                content((ProfitAndLoss = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn profit_and_loss(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<ComparedRange>,
) -> Result<Response, ApiError> {
    let r: ProfitAndLoss = s
        .services
        .profit_and_loss(
            &ctx,
            p.date_from.as_deref(),
            p.date_to.as_deref(),
            Compare::parse(p.compare.as_deref(), p.periods)?,
            &p.filter(),
        )
        .await?
        .into();
    respond(&headers, p.format, r, |r| {
        if let Some(c) = &r.comparison {
            return comparison_table("Profit and loss", c);
        }
        statement_table(
            "Profit and loss",
            &r.sections,
            &[
                ("Gross profit", &r.gross_profit),
                ("Net profit", &r.net_profit),
            ],
        )
    })
}

#[utoipa::path(get, path = "/api/v1/reports/balance_sheet", tag = "reports",
    summary = "Balance sheet as of a date (JSON, CSV or XLSX)",
    description = "Assets, liabilities and equity as of the date. Current-year earnings (the profit since the start of the fiscal year) are computed, never posted; every earlier year's profit sits in retained earnings, unposted. Total assets always equal total liabilities and equity, on either basis (`basis=cash` removes the unpaid share of open invoices, bills and credits, their receivable or payable with it), and narrowed to a contact or branch; narrowed to some accounts it shows those alone, without computed earnings. With `compare=month|quarter|year&periods=N`, `comparison` lays out the balance sheets as of the same day that much earlier, oldest first.",
    params(ComparedAsOf),
    responses((status = 200, description = "The statement: JSON, or with `Accept: text/csv` the lines section,code,name,amount, each section's total and the two totals",
                content((BalanceSheet = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn balance_sheet(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<ComparedAsOf>,
) -> Result<Response, ApiError> {
    let r: BalanceSheet = s
        .services
        .balance_sheet(
            &ctx,
            p.as_of.as_deref(),
            Compare::parse(p.compare.as_deref(), p.periods)?,
            &p.filter(),
        )
        .await?
        .into();
    respond(&headers, p.format, r, |r| {
        if let Some(c) = &r.comparison {
            return comparison_table("Balance sheet", c);
        }
        statement_table(
            "Balance sheet",
            &r.sections,
            &[
                ("Total assets", &r.total_assets),
                (
                    "Total liabilities and equity",
                    &r.total_liabilities_and_equity,
                ),
            ],
        )
    })
}

#[utoipa::path(get, path = "/api/v1/reports/cash_flow", tag = "reports",
    summary = "Statement of cash flows over a range, indirect method (JSON, CSV or XLSX)",
    description = "Net profit, then each balance sheet account's movement in the range as it moved cash: operating activities (accumulated depreciation, current assets and liabilities), investing (fixed and other non-current assets), financing (non-current liabilities and equity). The net change equals the movement of the bank and cash accounts, shown with their opening and closing balances. Read from the per-day balances.",
    params(Range),
    responses((status = 200, description = "The statement: JSON, or with `Accept: text/csv` the lines section,code,name,amount, each section's total, the net change and the cash balances",
                content((CashFlow = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn cash_flow(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    let r: CashFlow = s
        .services
        .cash_flow(&ctx, p.date_from.as_deref(), p.date_to.as_deref())
        .await?
        .into();
    respond(&headers, p.format, r, |r| {
        statement_table(
            "Cash flow",
            &r.sections,
            &[
                ("Net change in cash", &r.net_change_in_cash),
                ("Opening cash", &r.opening_cash),
                ("Closing cash", &r.closing_cash),
            ],
        )
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct Period {
    /// Calendar year (default this year).
    #[param(minimum = 1900, maximum = 9999, example = 2026)]
    year: Option<i64>,
    /// 1 to 12: that month of the year only.
    #[param(minimum = 1, maximum = 12, example = 3)]
    month: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/reports/financial_summary", tag = "reports",
    summary = "Income, expenses, profit and outstanding invoices of a year or month",
    description = "The profit and loss of a calendar year (or one month of it) in four figures, and what approved invoices still had open at the period's end (today while it runs), in the base currency.",
    params(Period),
    responses((status = 200, body = FinancialSummary), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn financial_summary(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<Period>,
) -> Result<Json<FinancialSummary>, ApiError> {
    Ok(Json(
        s.services
            .financial_summary(&ctx, p.year, p.month)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomerRange {
    /// The customer.
    customer_id: String,
    /// First day, YYYY-MM-DD (default: the start of the fiscal year of
    /// `date_to`).
    #[param(value_type = Option<String>, format = Date)]
    date_from: Option<String>,
    /// Last day, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date)]
    date_to: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct VendorRange {
    /// The vendor.
    vendor_id: String,
    /// First day, YYYY-MM-DD (default: the start of the fiscal year of
    /// `date_to`).
    #[param(value_type = Option<String>, format = Date)]
    date_from: Option<String>,
    /// Last day, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date)]
    date_to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/customer_statement", tag = "reports",
    summary = "A customer's statement over a range",
    description = "What the customer owed before the range, every posting to their receivable in it (invoices, payments, credit notes, refunds, voids) with the balance after it, and what they owe at its end, in the base currency.",
    params(CustomerRange),
    responses((status = 200, body = ContactStatement), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn customer_statement(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<CustomerRange>,
) -> Result<Json<ContactStatement>, ApiError> {
    Ok(Json(
        s.services
            .contact_statement(
                &ctx,
                Party::Customer,
                &p.customer_id,
                p.date_from.as_deref(),
                p.date_to.as_deref(),
            )
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/vendor_statement", tag = "reports",
    summary = "A vendor's statement over a range",
    description = "What the organization owed the vendor before the range, every posting to their payable in it (bills, bill payments, vendor credits, refunds, voids) with the balance after it, and what is owed at its end, in the base currency.",
    params(VendorRange),
    responses((status = 200, body = ContactStatement), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn vendor_statement(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<VendorRange>,
) -> Result<Json<ContactStatement>, ApiError> {
    Ok(Json(
        s.services
            .contact_statement(
                &ctx,
                Party::Vendor,
                &p.vendor_id,
                p.date_from.as_deref(),
                p.date_to.as_deref(),
            )
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct BudgetParams {
    /// The calendar year the fiscal year starts in; its active budget
    /// (of `branch`) is compared. Or name one with `budget_id`.
    #[param(minimum = 1900, maximum = 2200)]
    fiscal_year: Option<i64>,
    /// Columns of month (default), quarter or year.
    #[param(schema_with = crate::openapi::budget_periods)]
    period: Option<String>,
    /// Actuals of one branch's entries (default the budget's branch).
    branch: Option<String>,
    budget_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/budget_vs_actual", tag = "reports",
    summary = "Budget versus actual over a fiscal year",
    description = "Each account budgeted or with posted movement in the year: its budget and actual per column (income as credits less debits, expenses as debits less credits), the variance (actual - budget) and the variance as a percent of the budget (null for a zero budget).",
    params(BudgetParams),
    responses((status = 200, body = crate::views::budgets::BudgetVsActual), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn budget_vs_actual(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<BudgetParams>,
) -> Result<Json<crate::views::budgets::BudgetVsActual>, ApiError> {
    let q = ferrobooks_service::budgets::BudgetVsActualQuery {
        fiscal_year: p.fiscal_year,
        period: p.period,
        branch: p.branch,
        budget_id: p.budget_id,
    };
    Ok(Json(s.services.budget_vs_actual(&ctx, q).await?.into()))
}
