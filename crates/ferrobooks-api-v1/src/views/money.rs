//! Money and exact numbers on the native wire, with their OpenAPI schemas:
//! the service's [`ferrobooks_service::amount`] types, which read and write
//! JSON number literals as written (never through a float), shown as the
//! native API documents them.

use ferrobooks_service::amount as svc;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

/// An amount in a currency, written with exactly its minor-unit digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Amount(svc::Amount);

/// An exact decimal (a rate in percent, a quantity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Number(svc::Number);

/// An amount as a client writes it: a JSON number or a string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DecimalText(svc::DecimalText);

impl Amount {
    /// The amount as written (for CSV).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<svc::Amount> for Amount {
    fn from(a: svc::Amount) -> Self {
        Amount(a)
    }
}

impl Number {
    /// The number as written (for CSV).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<svc::Number> for Number {
    fn from(n: svc::Number) -> Self {
        Number(n)
    }
}

impl From<DecimalText> for svc::DecimalText {
    fn from(d: DecimalText) -> Self {
        d.0
    }
}

impl utoipa::PartialSchema for Number {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some("An exact decimal (a rate in percent, a quantity)."))
            .into()
    }
}

impl utoipa::ToSchema for Number {}

impl utoipa::PartialSchema for DecimalText {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "An exact decimal amount, as a JSON number (1500.00) or a string (\"1500.00\"). \
                 It is read as written, never through a float; more fractional digits than the \
                 currency has are refused unless they are zeros.",
            ))
            .examples([serde_json::json!("1500.00")])
            .into()
    }
}

impl utoipa::ToSchema for DecimalText {}

impl utoipa::PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some(
                "An exact decimal amount, written as a JSON number literal with exactly the \
                 currency's minor-unit digits (1500.00 in USD, 150 in JPY). Amounts are stored as \
                 integers of minor units; parse them as decimals, not floats, to keep them exact.",
            ))
            .examples([serde_json::json!(1500.00)])
            .into()
    }
}

impl utoipa::ToSchema for Amount {}
