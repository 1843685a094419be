//! Display names of rows a report names by id: customers, vendors,
//! products and accounts, deleted ones too (a report of the past still
//! names what it names).

use sqlx::AnyConnection;

use crate::sql;
use crate::{OrgId, StoreError};

/// The tables whose rows reports name.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    Customers,
    Vendors,
    Products,
    /// `code name`.
    Accounts,
}

impl Named {
    fn select(self) -> &'static str {
        match self {
            Named::Customers => "SELECT id, name FROM customers",
            Named::Vendors => "SELECT id, name FROM vendors",
            Named::Products => "SELECT id, name FROM products",
            Named::Accounts => "SELECT id, code || ' ' || name FROM accounts",
        }
    }
}

impl From<crate::contacts::Party> for Named {
    fn from(p: crate::contacts::Party) -> Named {
        match p {
            crate::contacts::Party::Customer => Named::Customers,
            crate::contacts::Party::Vendor => Named::Vendors,
        }
    }
}

/// (id, name) of the rows of `named` among `ids`.
pub async fn names(
    conn: &mut AnyConnection,
    org: &OrgId,
    named: Named,
    ids: &[&str],
) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        let text = format!(
            "{} WHERE organization_id = $1 AND id IN ({})",
            named.select(),
            sql::list(2, chunk.len())
        );
        let mut q = sqlx::query_as(&text).bind(org);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
