//! The console over real HTTP, on both backends: signing in and out,
//! sessions and their timeouts, CSRF and cross-site refusals, session
//! fixation, roles, organizations of other accounts, the sign-in limit,
//! and making and revoking keys and tokens from the developer page.

mod browser;
mod developer;
mod oauth;
mod password;
mod sessions;
mod webhooks;
