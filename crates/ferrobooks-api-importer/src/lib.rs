#![forbid(unsafe_code)]
//! The importer surface: `/api/v1/account` and `/api/v1/companies/...`,
//! as the importer reference (seed 004) describes them, with Ferrobooks'
//! own books as the target (a company is an organization; `provider` is
//! `ferrobooks`). Its dialect: camelCase bodies (the service's importer
//! read models already serialize so), `{"error": {"code", "message"}}`
//! errors with the reference's codes, `pagination` objects, and the
//! organization named in the path (`/companies/{companyId}`).

mod dialect;
pub mod openapi;
mod routes;
mod views;

use std::sync::Arc;

use ferrobooks_edge::Surface;

pub use dialect::Importer;

/// The importer surface, to mount beside the native API.
pub fn surface() -> Surface {
    Surface {
        routes: routes::all(),
        public: openapi::routes(),
        dialect: Arc::new(Importer),
    }
}
