//! Typed ids where mixing them up would cross a tenant's boundary.

/// An organization's id: what every tenant-owned row is scoped by. A type of
/// its own so that tenancy never rests on argument order: a store function
/// takes `org: &OrgId` and the document's or contact's id as text, and
/// passing one for the other does not compile.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    sqlx::Type,
    serde::Serialize,
    serde::Deserialize,
)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct OrgId(String);

impl OrgId {
    /// An id as stored or as a client named it; whether an organization has
    /// it is the lookup's question.
    pub fn new(id: impl Into<String>) -> OrgId {
        OrgId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrgId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&OrgId> for crate::sql::Arg {
    fn from(id: &OrgId) -> crate::sql::Arg {
        crate::sql::Arg::Text(id.0.clone())
    }
}
