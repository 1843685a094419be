//! Products and services: what an organization sells, at what price, with
//! which tax and income account, and (for goods) how many are in stock.

use ferrobooks_domain::account::parse_name;
use ferrobooks_domain::money::parse_decimal;
use ferrobooks_domain::tax::validate_hsn_sac;
use ferrobooks_store::accounts::accounts_by_ids;
use ferrobooks_store::products::{self as store, ProductRow};
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::page::{Page, paginate};
use crate::{AuthContext, OrgId, Outcome, ServiceError, ServiceResult, Services, opt_text};

#[derive(Debug, Clone, Serialize)]
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

/// A new product, or (for PUT/PATCH) changes: in an update absent fields
/// stay. `quantity_on_hand` is the opening stock and is only accepted on
/// create; after that, stock moves with documents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
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

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn view(p: ProductRow, cur: ferrobooks_domain::Currency) -> ProductView {
    ProductView {
        price: Amount::new(p.price, cur),
        quantity_on_hand: Number::new(dec(&p.quantity_on_hand)),
        reorder_level: p.reorder_level.as_deref().map(|r| Number::new(dec(r))),
        stock_value: Amount::new(p.stock_value, cur),
        track_inventory: p.track_inventory == 1,
        id: p.id,
        name: p.name,
        sku: p.sku,
        product_type: p.product_type,
        description: p.description,
        tax_id: p.tax_id,
        hsn_sac: p.hsn_sac,
        income_account_id: p.income_account_id,
        expense_account_id: p.expense_account_id,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

fn quantity(field: &str, d: &DecimalText) -> ServiceResult<Decimal> {
    let q = parse_decimal(&d.0, field)?;
    if q < Decimal::ZERO {
        return Err(ServiceError::invalid(field, "must not be negative"));
    }
    if q.normalize().scale() > 4 {
        return Err(ServiceError::invalid(field, "at most 4 decimal places"));
    }
    Ok(q.normalize())
}

/// An active account of the organization whose type is one of `types`.
async fn account_of(
    conn: &mut Conn,
    org: &OrgId,
    id: &str,
    field: &str,
    types: &[&str],
) -> ServiceResult<()> {
    let found = accounts_by_ids(&mut *conn, org, &[id]).await?;
    match found.first() {
        Some(a) if a.active == 1 && types.contains(&a.account_type.as_str()) => Ok(()),
        Some(_) => Err(ServiceError::invalid(
            field,
            format!(
                "account {id} must be an active {} account",
                types.join(" or ")
            ),
        )),
        None => Err(ServiceError::invalid(
            field,
            format!("account {id} does not exist"),
        )),
    }
}

/// Applies `input` to `row`, checking it against the organization.
async fn apply(
    conn: &mut Conn,
    ctx: &AuthContext,
    row: &mut ProductRow,
    input: ProductInput,
) -> ServiceResult<()> {
    let org = ctx.org_id();
    if let Some(n) = input.name {
        row.name = parse_name("name", &n)?;
    }
    if input.sku.is_some() {
        row.sku = opt_text("sku", input.sku, 64)?;
    }
    if let Some(t) = input.product_type {
        if t != "goods" && t != "service" {
            return Err(ServiceError::invalid("type", "must be goods or service"));
        }
        row.product_type = t;
    }
    if let Some(p) = &input.price {
        let minor = p.minor(ctx.currency()?, "price")?;
        if minor < 0 {
            return Err(ServiceError::invalid("price", "must not be negative"));
        }
        row.price = minor;
    }
    if input.description.is_some() {
        row.description = opt_text("description", input.description, 2000)?;
    }
    if let Some(t) = input.tax_id {
        let tax = ferrobooks_store::taxes::get_tax(&mut *conn, org, &t).await?;
        match tax {
            Some(x) if x.active == 1 => row.tax_id = Some(t),
            Some(_) => {
                return Err(ServiceError::invalid(
                    "tax_id",
                    format!("tax {t} is inactive"),
                ));
            }
            None => {
                return Err(ServiceError::invalid(
                    "tax_id",
                    format!("tax {t} does not exist"),
                ));
            }
        }
    }
    if input.hsn_sac.is_some() {
        row.hsn_sac = opt_text("hsn_sac", input.hsn_sac, 8)?;
    }
    if let (true, Some(code)) = (ctx.org.country == "IN", &row.hsn_sac) {
        validate_hsn_sac(code, row.product_type == "service")?;
    }
    if let Some(a) = input.income_account_id {
        account_of(conn, org, &a, "income_account_id", &["income"]).await?;
        row.income_account_id = a;
    }
    if let Some(a) = input.expense_account_id {
        account_of(conn, org, &a, "expense_account_id", &["expense", "asset"]).await?;
        row.expense_account_id = Some(a);
    }
    if let Some(t) = input.track_inventory {
        row.track_inventory = i64::from(t);
    }
    if row.track_inventory == 1 && row.product_type == "service" {
        return Err(ServiceError::invalid(
            "track_inventory",
            "services carry no stock",
        ));
    }
    if let Some(q) = &input.quantity_on_hand {
        row.quantity_on_hand = quantity("quantity_on_hand", q)?.to_string();
    }
    if let Some(r) = &input.reorder_level {
        row.reorder_level = Some(quantity("reorder_level", r)?.to_string());
    }
    if row.track_inventory == 0
        && (!dec(&row.quantity_on_hand).is_zero() || row.reorder_level.is_some())
    {
        return Err(ServiceError::invalid(
            "track_inventory",
            "stock and a reorder level need track_inventory: true",
        ));
    }
    Ok(())
}

fn duplicate_sku(e: ferrobooks_store::StoreError, sku: Option<&str>) -> ServiceError {
    if e.is_unique_violation() {
        ServiceError::invalid("sku", format!("{} is already in use", sku.unwrap_or("")))
    } else {
        e.into()
    }
}

impl Services {
    pub async fn create_product(
        &self,
        ctx: &AuthContext,
        input: ProductInput,
    ) -> ServiceResult<ProductView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self.create_product_in(&mut wtx.tx, ctx, input).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Makes a product in the caller's transaction, with its event.
    pub(crate) async fn create_product_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        input: ProductInput,
    ) -> ServiceResult<ProductView> {
        if input.name.is_none() {
            return Err(ServiceError::invalid("name", "is required"));
        }
        let cur = ctx.currency()?;
        let sales = ferrobooks_store::taxes::account_by_key(&mut *conn, ctx.org_id(), "sales")
            .await?
            .unwrap_or_default();
        let at = now();
        let mut row = ProductRow {
            id: new_id("prod"),
            organization_id: ctx.org_id().to_owned(),
            name: String::new(),
            sku: None,
            product_type: "goods".into(),
            price: 0,
            description: None,
            tax_id: None,
            hsn_sac: None,
            income_account_id: sales,
            expense_account_id: None,
            track_inventory: 0,
            quantity_on_hand: "0".into(),
            reorder_level: None,
            created_at: at.clone(),
            updated_at: at,
            stock_value: 0,
        };
        apply(&mut *conn, ctx, &mut row, input).await?;
        if row.income_account_id.is_empty() {
            return Err(ServiceError::invalid(
                "income_account_id",
                "is required: the chart has no Sales account",
            ));
        }
        store::insert_product(&mut *conn, &row)
            .await
            .map_err(|e| duplicate_sku(e, row.sku.as_deref()))?;
        let v = view(row, cur);
        self.emit(conn, ctx, "product.created", &v).await?;
        Ok(v)
    }

    /// A product as the API shows it, read inside a transaction.
    pub(crate) async fn get_product_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<ProductView> {
        let row = store::get_product(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("product"))?;
        Ok(view(row, ctx.currency()?))
    }

    pub async fn get_product(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ProductView> {
        let row = store::get_product(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("product"))?;
        Ok(view(row, ctx.currency()?))
    }

    pub async fn list_products(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        search: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<ProductView>> {
        let cur = ctx.currency()?;
        let rows = store::list_products(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            search.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page.items.into_iter().map(|p| view(p, cur)).collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn update_product(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: ProductInput,
    ) -> ServiceResult<ProductView> {
        if input.quantity_on_hand.is_some() {
            return Err(ServiceError::invalid(
                "quantity_on_hand",
                "stock moves with documents; only a new product takes an opening quantity",
            ));
        }
        let cur = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let mut row = store::get_product(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("product"))?;
        apply(&mut wtx.tx, ctx, &mut row, input).await?;
        row.updated_at = now();
        store::update_product(&mut *wtx.tx, &row)
            .await
            .map_err(|e| duplicate_sku(e, row.sku.as_deref()))?;
        let v = view(row, cur);
        self.emit(&mut wtx.tx, ctx, "product.updated", &v).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn delete_product(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        self.delete_product_in(&mut wtx.tx, ctx, id).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Deletes a product in the caller's transaction, with its event.
    pub(crate) async fn delete_product_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<()> {
        let cur = ctx.currency()?;
        let row = store::get_product(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("product"))?;
        store::soft_delete_product(&mut *conn, ctx.org_id(), id).await?;
        let v = view(row, cur);
        self.emit(conn, ctx, "product.deleted", &v).await?;
        Ok(())
    }
}
