//! People's access: the roles a user of an account has, what each may do,
//! the password rule and when failed sign-ins lock an account. Pure rules;
//! the service applies them.

crate::named_enum! {
    /// A user's role in their account.
    pub enum Role "a role" {
        /// Everything, including the account's users; the account's first
        /// user.
        Owner = "owner",
        /// Everything, including users, keys, webhooks and settings.
        Admin = "admin",
        /// The books: reads everything, writes everything but the
        /// account's plumbing (keys, webhooks, users, organization
        /// settings).
        Accountant = "accountant",
        /// Reads the books; writes nothing.
        Viewer = "viewer",
    }
}

/// Resources only owners and admins write: who gets in and where data goes.
const PLUMBING: &[&str] = &["keys", "webhooks", "users", "organization", "oauth_apps"];

impl Role {
    /// Whether the role may do `action` (`read` or `write`) on `resource`
    /// (a scope's resource, the first segment of a native path).
    pub fn permits(self, resource: &str, action: &str) -> bool {
        match self {
            Role::Owner | Role::Admin => true,
            Role::Accountant => action == "read" || !PLUMBING.contains(&resource),
            Role::Viewer => action == "read",
        }
    }

    /// Owners and admins see every organization of the account; the others
    /// only those they are given.
    pub fn sees_every_organization(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// Whether the role may make or change a user of `other` role: owners
    /// anyone, admins anyone but an owner.
    pub fn manages(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => other != Role::Owner,
            _ => false,
        }
    }
}

/// Shortest password taken (NIST SP 800-63B: at least 8; we ask 12).
pub const PASSWORD_MIN: usize = 12;
/// Longest password taken: a bound on what the hash is asked to chew.
pub const PASSWORD_MAX: usize = 256;

/// Checks a new password: 12 to 256 characters, not only spaces, and not
/// the email address itself.
pub fn check_password(password: &str, email: &str) -> Result<(), crate::DomainError> {
    let n = password.chars().count();
    let bad = |m: &str| Err(crate::DomainError::invalid("password", m.to_owned()));
    if n < PASSWORD_MIN {
        return bad(&format!("must be at least {PASSWORD_MIN} characters"));
    }
    if n > PASSWORD_MAX {
        return bad(&format!("must be at most {PASSWORD_MAX} characters"));
    }
    if password.trim().is_empty() {
        return bad("must not be only spaces");
    }
    if password.eq_ignore_ascii_case(email) {
        return bad("must not be the email address");
    }
    Ok(())
}

/// Failed sign-ins in a row that lock an account.
pub const LOCK_AFTER: i64 = 5;
/// How long a lock lasts, in minutes; each lock after the first doubles
/// it, up to a day.
pub const LOCK_MINUTES: i64 = 15;

/// After a failed sign-in that makes `failures` in a row: the minutes to
/// lock the account for, if it locks now.
pub fn lock_for(failures: i64) -> Option<i64> {
    if failures < LOCK_AFTER || failures % LOCK_AFTER != 0 {
        return None;
    }
    let doublings = (failures / LOCK_AFTER - 1).min(7) as u32;
    Some((LOCK_MINUTES << doublings).min(24 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_permit_what_they_say() {
        assert!(Role::Owner.permits("keys", "write"));
        assert!(Role::Admin.permits("users", "write"));
        assert!(Role::Accountant.permits("invoices", "write"));
        assert!(Role::Accountant.permits("keys", "read"));
        assert!(!Role::Accountant.permits("keys", "write"));
        assert!(!Role::Accountant.permits("webhooks", "write"));
        assert!(Role::Viewer.permits("invoices", "read"));
        assert!(!Role::Viewer.permits("invoices", "write"));
        assert!(Role::Admin.manages(Role::Admin));
        assert!(!Role::Admin.manages(Role::Owner));
        assert!(!Role::Accountant.manages(Role::Viewer));
    }

    #[test]
    fn passwords() {
        assert!(check_password("short", "a@b.c").is_err());
        assert!(check_password("            ", "a@b.c").is_err());
        assert!(check_password("me@example.com", "ME@example.com").is_err());
        assert!(check_password("correct horse battery", "a@b.c").is_ok());
        assert!(check_password(&"x".repeat(257), "a@b.c").is_err());
    }

    #[test]
    fn locks_every_fifth_failure_for_longer() {
        assert_eq!(lock_for(4), None);
        assert_eq!(lock_for(5), Some(15));
        assert_eq!(lock_for(6), None);
        assert_eq!(lock_for(10), Some(30));
        assert_eq!(lock_for(100), Some(24 * 60));
    }
}
