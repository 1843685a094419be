//! The native API's subscription shapes, translated field by field from
//! and to the use cases' own types.

use crate::views::money::{DecimalText, Number};
use ferrobooks_service::subscriptions as svc;
use serde::{Deserialize, Serialize};

/// One line of a plan, as an invoice line takes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLineInput {
    pub product_id: Option<String>,
    /// Default: the product's name.
    pub description: Option<String>,
    /// Default 1.
    pub quantity: Option<DecimalText>,
    /// In the customer's currency. Default: the product's price.
    pub unit_price: Option<DecimalText>,
    pub discount: Option<DecimalText>,
    /// An income account. Default: the product's, else Sales.
    pub account_id: Option<String>,
    /// Default: the product's tax.
    pub tax_id: Option<String>,
}

/// A plan line as kept.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanLineView {
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<Number>,
    pub unit_price: Option<Number>,
    pub discount: Option<Number>,
    pub account_id: Option<String>,
    pub tax_id: Option<String>,
}

/// A new subscription.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"customer_id": "cus_01kbx2h1acme000000000000000", "name": "Support plan",
    "lines": [{"description": "Monthly support", "unit_price": "250.00"}], "interval": "monthly",
    "start_date": "2026-12-01", "count": 12, "auto_approve": true, "auto_send": true}))]
pub struct NewSubscription {
    pub customer_id: String,
    /// Default: "<interval> subscription"; each invoice's reference unless
    /// `reference` is given.
    pub name: Option<String>,
    /// At least one.
    pub lines: Vec<PlanLineInput>,
    /// weekly, monthly, quarterly or yearly.
    pub interval: String,
    /// The first invoice's date; default today.
    #[schema(format = Date)]
    pub start_date: Option<String>,
    /// No invoice dated after it.
    #[schema(format = Date)]
    pub end_date: Option<String>,
    /// At most this many invoices (1 or more).
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 1)]
    pub count: Option<i64>,
    /// Approve (number and post) each invoice; default true.
    pub auto_approve: Option<bool>,
    /// Mark each invoice sent (emits `invoice.sent`); default false; needs
    /// `auto_approve`.
    pub auto_send: Option<bool>,
    pub reference: Option<String>,
}

impl From<NewSubscription> for svc::NewSubscription {
    fn from(v: NewSubscription) -> Self {
        let NewSubscription {
            customer_id,
            name,
            lines,
            interval,
            start_date,
            end_date,
            count,
            auto_approve,
            auto_send,
            reference,
        } = v;
        svc::NewSubscription {
            customer_id,
            name,
            lines: lines
                .into_iter()
                .map(|l| {
                    let PlanLineInput {
                        product_id,
                        description,
                        quantity,
                        unit_price,
                        discount,
                        account_id,
                        tax_id,
                    } = l;
                    svc::PlanLineInput {
                        product_id,
                        description,
                        quantity: quantity.map(Into::into),
                        unit_price: unit_price.map(Into::into),
                        discount: discount.map(Into::into),
                        account_id,
                        tax_id,
                    }
                })
                .collect(),
            interval,
            start_date,
            end_date,
            count,
            auto_approve,
            auto_send,
            reference,
        }
    }
}

/// A subscription.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub lines: Vec<PlanLineView>,
    /// weekly, monthly, quarterly or yearly.
    pub interval: String,
    #[schema(format = Date)]
    pub start_date: String,
    #[schema(format = Date)]
    pub end_date: Option<String>,
    pub count: Option<i64>,
    pub auto_approve: bool,
    pub auto_send: bool,
    pub reference: Option<String>,
    /// active, paused, cancelled or expired.
    pub status: String,
    pub invoices_issued: i64,
    /// The invoices issued, by period.
    pub invoice_ids: Vec<String>,
    /// When the next invoice is due; null once it has ended.
    #[schema(format = Date)]
    pub next_invoice_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::SubscriptionView> for SubscriptionView {
    fn from(v: svc::SubscriptionView) -> Self {
        let svc::SubscriptionView {
            id,
            customer_id,
            name,
            lines,
            interval,
            start_date,
            end_date,
            count,
            auto_approve,
            auto_send,
            reference,
            status,
            invoices_issued,
            invoice_ids,
            next_invoice_date,
            created_at,
            updated_at,
        } = v;
        SubscriptionView {
            id,
            customer_id,
            name,
            lines: lines
                .into_iter()
                .map(|l| {
                    let svc::PlanLineView {
                        product_id,
                        description,
                        quantity,
                        unit_price,
                        discount,
                        account_id,
                        tax_id,
                    } = l;
                    PlanLineView {
                        product_id,
                        description,
                        quantity: quantity.map(Into::into),
                        unit_price: unit_price.map(Into::into),
                        discount: discount.map(Into::into),
                        account_id,
                        tax_id,
                    }
                })
                .collect(),
            interval,
            start_date,
            end_date,
            count,
            auto_approve,
            auto_send,
            reference,
            status,
            invoices_issued,
            invoice_ids,
            next_invoice_date,
            created_at,
            updated_at,
        }
    }
}

/// Resuming a paused subscription.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-05"}))]
pub struct Resume {
    /// Default today: the periods before it (those of the pause) are
    /// skipped, not issued late.
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<Resume> for svc::Resume {
    fn from(v: Resume) -> Self {
        let Resume { date } = v;
        svc::Resume { date }
    }
}
