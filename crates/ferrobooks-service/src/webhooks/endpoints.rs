//! Registering endpoints, the test event, and the delivery log.

use ferrobooks_store::webhooks::{self as store, DeliveryRow, EndpointRow, NewDelivery};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use super::EVENTS;
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services, opt_text};

/// An endpoint as listed: never its secret.
#[derive(Debug, Clone, Serialize)]
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

/// An endpoint just registered: `secret` is shown here once.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_...`: the key of both signatures (see the API description).
    pub secret: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to POST events: an http(s) URL on a public address.
    pub url: String,
    /// Event names from the list in the API description, or `["*"]`.
    pub events: Vec<String>,
    pub description: Option<String>,
}

/// One delivery of an event to an endpoint.
#[derive(Debug, Clone, Serialize)]
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

fn view(e: EndpointRow) -> WebhookView {
    WebhookView {
        events: serde_json::from_str(&e.events).unwrap_or_default(),
        id: e.id,
        url: e.url,
        description: e.description,
        active: e.active == 1,
        disabled_reason: e.disabled_reason,
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

fn delivery_view(d: DeliveryRow) -> DeliveryView {
    DeliveryView {
        next_attempt_at: (d.status == "pending").then_some(d.next_attempt_at),
        id: d.id,
        event_id: d.event_id,
        event: d.event_type,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
    }
}

impl Services {
    pub async fn create_webhook(
        &self,
        ctx: &AuthContext,
        input: NewWebhook,
    ) -> ServiceResult<CreatedWebhook> {
        if input.url.len() > 2000 {
            return Err(ServiceError::invalid(
                "url",
                "must be at most 2,000 characters",
            ));
        }
        super::target::resolve(&input.url, self.webhooks.allow_private_targets)
            .await
            .map_err(|e| ServiceError::invalid("url", e))?;
        if input.events.is_empty() {
            return Err(ServiceError::invalid(
                "events",
                "name at least one event, or \"*\"",
            ));
        }
        let mut events = input.events;
        for (i, e) in events.iter().enumerate() {
            if e != "*" && !EVENTS.contains(&e.as_str()) {
                return Err(ServiceError::invalid(
                    format!("events[{i}]"),
                    format!("'{e}' is not an event; see the list in the API description"),
                ));
            }
        }
        events.sort();
        events.dedup();
        let at = now();
        let row = EndpointRow {
            id: new_id("wh"),
            organization_id: ctx.org_id().to_owned(),
            url: input.url,
            events: serde_json::to_string(&events).map_err(ServiceError::internal)?,
            description: opt_text("description", input.description, 500)?,
            secret: super::signing::new_secret(),
            active: 1,
            disabled_reason: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::insert_endpoint(&self.store, &row).await?;
        ctx.answer_holds_secret();
        let secret = row.secret.clone();
        Ok(CreatedWebhook {
            webhook: view(row),
            secret,
        })
    }

    pub async fn list_webhooks(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<WebhookView>> {
        let rows = store::list_endpoints(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page.items.into_iter().map(view).collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn get_webhook(&self, ctx: &AuthContext, id: &str) -> ServiceResult<WebhookView> {
        store::get_endpoint(self.store.pool(), ctx.org_id(), id)
            .await?
            .map(view)
            .ok_or(ServiceError::not_found("webhook"))
    }

    pub async fn delete_webhook(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        if store::delete_endpoint(&self.store, ctx.org_id(), id).await? {
            Ok(())
        } else {
            Err(ServiceError::not_found("webhook"))
        }
    }

    /// Queues the `test` event for one endpoint.
    pub async fn test_webhook(&self, ctx: &AuthContext, id: &str) -> ServiceResult<WebhookView> {
        let ep = self.get_webhook(ctx, id).await?;
        let event_id = new_id("evt");
        let data = format!(
            "{{\"message\":\"A test event from Ferrobooks\",\"webhook_id\":{}}}",
            serde_json::Value::String(ep.id.clone())
        );
        store::insert_delivery(
            &self.store,
            NewDelivery {
                organization_id: ctx.org_id().to_owned(),
                endpoint_id: ep.id.clone(),
                body: super::worker::body(&event_id, "test", &data, &now()),
                event_id,
                event_type: "test".into(),
            },
            chrono::Utc::now().timestamp(),
        )
        .await?;
        Ok(ep)
    }

    pub async fn list_deliveries(
        &self,
        ctx: &AuthContext,
        id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<DeliveryView>> {
        self.get_webhook(ctx, id).await?;
        let rows = store::list_deliveries(
            self.store.pool(),
            ctx.org_id(),
            id,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page.items.into_iter().map(delivery_view).collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }
}
