//! The native API's products shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::products as svc;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductView {
    pub id: String,
    pub name: String,
    pub sku: Option<String>,
    /// goods or service.
    #[serde(rename = "type")]
    pub product_type: String,
    /// Unit price in the base currency, before tax.
    pub price: Amount,
    pub description: Option<String>,
    /// The default tax of lines that sell it.
    pub tax_id: Option<String>,
    /// HSN (goods) or SAC (services) code, for Indian organizations.
    pub hsn_sac: Option<String>,
    pub income_account_id: String,
    pub expense_account_id: Option<String>,
    pub track_inventory: bool,
    pub quantity_on_hand: Number,
    /// `product.low_stock` is sent when stock falls to this level.
    pub reorder_level: Option<Number>,
    /// Tracked goods: the value of the stock on hand at average cost, in
    /// the base currency (goods bought at cost, sold at the average).
    pub stock_value: Amount,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::ProductView> for ProductView {
    fn from(v: svc::ProductView) -> Self {
        let svc::ProductView {
            id,
            name,
            sku,
            product_type,
            price,
            description,
            tax_id,
            hsn_sac,
            income_account_id,
            expense_account_id,
            track_inventory,
            quantity_on_hand,
            reorder_level,
            stock_value,
            created_at,
            updated_at,
        } = v;
        ProductView {
            id,
            name,
            sku,
            product_type,
            price: price.into(),
            description,
            tax_id,
            hsn_sac,
            income_account_id,
            expense_account_id,
            track_inventory,
            quantity_on_hand: quantity_on_hand.into(),
            reorder_level: reorder_level.map(Into::into),
            stock_value: stock_value.into(),
            created_at,
            updated_at,
        }
    }
}

/// A new product, or (for PUT/PATCH) changes: in an update absent fields
/// stay. `quantity_on_hand` is the opening stock and is only accepted on
/// create; after that, stock moves with documents.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Bookkeeping hour", "type": "service", "price": "150.00"}))]
pub struct ProductInput {
    pub name: Option<String>,
    pub sku: Option<String>,
    /// goods (default) or service.
    #[serde(rename = "type")]
    pub product_type: Option<String>,
    pub price: Option<DecimalText>,
    pub description: Option<String>,
    pub tax_id: Option<String>,
    pub hsn_sac: Option<String>,
    /// Default: the Sales account.
    pub income_account_id: Option<String>,
    pub expense_account_id: Option<String>,
    pub track_inventory: Option<bool>,
    pub quantity_on_hand: Option<DecimalText>,
    pub reorder_level: Option<DecimalText>,
}

impl From<ProductInput> for svc::ProductInput {
    fn from(v: ProductInput) -> Self {
        let ProductInput {
            name,
            sku,
            product_type,
            price,
            description,
            tax_id,
            hsn_sac,
            income_account_id,
            expense_account_id,
            track_inventory,
            quantity_on_hand,
            reorder_level,
        } = v;
        svc::ProductInput {
            name,
            sku,
            product_type,
            price: price.map(Into::into),
            description,
            tax_id,
            hsn_sac,
            income_account_id,
            expense_account_id,
            track_inventory,
            quantity_on_hand: quantity_on_hand.map(Into::into),
            reorder_level: reorder_level.map(Into::into),
        }
    }
}
