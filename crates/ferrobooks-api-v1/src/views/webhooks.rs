//! The native API's webhooks shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use ferrobooks_service::webhooks as svc;
use serde::{Deserialize, Serialize};

/// An endpoint as listed: never its secret.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    /// Event names, or `["*"]` for all.
    pub events: Vec<String>,
    pub description: Option<String>,
    /// False once the endpoint answered 410 Gone.
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::WebhookView> for WebhookView {
    fn from(v: svc::WebhookView) -> Self {
        let svc::WebhookView {
            id,
            url,
            events,
            description,
            active,
            disabled_reason,
            created_at,
            updated_at,
        } = v;
        WebhookView {
            id,
            url,
            events,
            description,
            active,
            disabled_reason,
            created_at,
            updated_at,
        }
    }
}

/// An endpoint just registered: `secret` is shown here once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_...`: the key of both signatures (see the API description).
    pub secret: String,
}

impl From<svc::CreatedWebhook> for CreatedWebhook {
    fn from(v: svc::CreatedWebhook) -> Self {
        let svc::CreatedWebhook { webhook, secret } = v;
        CreatedWebhook {
            webhook: webhook.into(),
            secret,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hooks.example.com/ferrobooks", "events": ["invoice.paid", "payment.created"], "description": "Accounting sync"}))]
pub struct NewWebhook {
    /// Where to POST events: an http(s) URL on a public address.
    pub url: String,
    /// Event names from the list in the API description, or `["*"]`.
    pub events: Vec<String>,
    pub description: Option<String>,
}

impl From<NewWebhook> for svc::NewWebhook {
    fn from(v: NewWebhook) -> Self {
        let NewWebhook {
            url,
            events,
            description,
        } = v;
        svc::NewWebhook {
            url,
            events,
            description,
        }
    }
}

/// One delivery of an event to an endpoint.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub event_id: String,
    pub event: String,
    /// pending, succeeded or failed (gave up).
    pub status: String,
    pub attempts: i64,
    /// Unix seconds of the next try, while pending.
    pub next_attempt_at: Option<i64>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

impl From<svc::DeliveryView> for DeliveryView {
    fn from(v: svc::DeliveryView) -> Self {
        let svc::DeliveryView {
            id,
            event_id,
            event,
            status,
            attempts,
            next_attempt_at,
            last_status_code,
            last_error,
            created_at,
            delivered_at,
        } = v;
        DeliveryView {
            id,
            event_id,
            event,
            status,
            attempts,
            next_attempt_at,
            last_status_code,
            last_error,
            created_at,
            delivered_at,
        }
    }
}
