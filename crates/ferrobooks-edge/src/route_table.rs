//! What each route declares in its `#[utoipa::path]`, read once when the
//! router is built: the scope it needs (`security(("bearer" =
//! ["invoices:read"]))`) and whether it also answers `text/csv`. The scope
//! check ([`crate::middleware::authenticate`]) and content negotiation
//! ([`crate::negotiate`]) look the route up by method and path template,
//! so what the OpenAPI document says is what is enforced, under any prefix
//! and for any surface.

use std::collections::HashMap;

use axum::http::Method;
use utoipa::openapi::OpenApi;

/// A scope a route needs: `resource:action`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub resource: String,
    pub action: String,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.resource, self.action)
    }
}

/// What one route declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub scope: Scope,
    /// A `text/csv` form of its 200 answer is documented.
    pub csv: bool,
}

/// (method, path template) -> what the route declares.
#[derive(Debug, Clone, Default)]
pub struct RouteTable(HashMap<(Method, String), RouteInfo>);

/// Why a document cannot give a route table.
#[derive(Debug, thiserror::Error)]
#[error("{method} {path}: {problem}")]
pub struct ScopeError {
    method: String,
    path: String,
    problem: String,
}

impl RouteTable {
    /// Reads every operation's `bearer` scope. An operation without exactly
    /// one well-formed scope is an error: a route nobody may call, or one
    /// anybody may, is a mistake to catch when the router is built.
    pub fn from_openapi(doc: &OpenApi) -> Result<RouteTable, ScopeError> {
        let json = serde_json::to_value(doc).unwrap_or_default();
        let mut table = HashMap::new();
        let paths = json["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in paths {
            let ops = item.as_object().cloned().unwrap_or_default();
            for (method, op) in ops {
                let Ok(m) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                let err = |problem: &str| ScopeError {
                    method: m.to_string(),
                    path: path.clone(),
                    problem: problem.to_owned(),
                };
                let scopes: Vec<&str> = op["security"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|req| req["bearer"].as_array())
                    .flatten()
                    .filter_map(|s| s.as_str())
                    .collect();
                let [scope] = scopes.as_slice() else {
                    return Err(err("declares no single bearer scope"));
                };
                let (resource, action) = scope
                    .split_once(':')
                    .filter(|(r, a)| !r.is_empty() && matches!(*a, "read" | "write"))
                    .ok_or_else(|| {
                        err("has a scope that is not resource:read or resource:write")
                    })?;
                if !ferrobooks_service::auth::SCOPE_RESOURCES.contains(&resource) {
                    return Err(err("names a resource keys cannot be given"));
                }
                let csv = op["responses"]["200"]["content"]
                    .as_object()
                    .is_some_and(|c| c.contains_key("text/csv"));
                let scope = Scope {
                    resource: resource.to_owned(),
                    action: action.to_owned(),
                };
                table.insert((m, path.clone()), RouteInfo { scope, csv });
            }
        }
        Ok(RouteTable(table))
    }

    /// What a route declares; HEAD is GET's route.
    pub fn get(&self, method: &Method, path: &str) -> Option<&RouteInfo> {
        let m = if method == Method::HEAD {
            Method::GET
        } else {
            method.clone()
        };
        self.0.get(&(m, path.to_owned()))
    }

    /// Adds another surface's routes.
    pub fn extend(&mut self, other: RouteTable) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every route with what it declares.
    pub fn iter(&self) -> impl Iterator<Item = (&(Method, String), &RouteInfo)> {
        self.0.iter()
    }
}
