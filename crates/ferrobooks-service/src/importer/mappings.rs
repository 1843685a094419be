//! Saved mappings: which column of a file (or which fixed value) fills
//! each field of an entity. A mapping must fill every required field and
//! name only fields of its entity; everything wrong is listed at once.

use ferrobooks_domain::import::Entity;
use ferrobooks_store::imports::{self as store, MappingRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use super::{PageAsk, Paged, entity, paged};
use crate::{AuthContext, Code, Outcome, ServiceError, ServiceResult, Services};

/// One mapped field as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingField {
    /// The file's column; None with a fixed value.
    pub source: Option<String>,
    pub field_id: u32,
    /// The value of every row (with no column).
    pub fixed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingView {
    pub id: String,
    pub title: String,
    pub entity_name: String,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub fields: Vec<MappingFieldView>,
}

/// One mapped field as shown.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingFieldView {
    pub source_field_title: Option<String>,
    pub target_field_id: String,
    pub fixed_value: Option<String>,
}

/// One field of a mapping as a client sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MappingFieldInput {
    pub source_field_title: Option<String>,
    /// The field's id (as text or a number).
    #[serde(default, deserialize_with = "id_text")]
    pub target_field_id: Option<String>,
    pub fixed_value: Option<String>,
}

/// An id given as text (`"231"`) or as a whole number (`231`).
fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|i| match i {
        Id::Text(t) => t,
        Id::Number(n) => n.to_string(),
    }))
}

/// A new mapping, or on update the parts to change (`fields`, when given,
/// replace them all).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MappingInput {
    pub title: Option<String>,
    pub entity_name: Option<String>,
    pub active: Option<bool>,
    pub fields: Option<Vec<MappingFieldInput>>,
}

pub(crate) fn view(m: MappingRow) -> ServiceResult<MappingView> {
    Ok(MappingView {
        fields: parse_fields(&m.fields)?
            .into_iter()
            .map(|f| MappingFieldView {
                source_field_title: f.source,
                target_field_id: f.field_id.to_string(),
                fixed_value: f.fixed,
            })
            .collect(),
        id: m.id,
        title: m.title,
        entity_name: m.entity_name,
        active: m.active == 1,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn parse_fields(json: &str) -> ServiceResult<Vec<MappingField>> {
    serde_json::from_str(json)
        .map_err(|_| ServiceError::internal("stored mapping fields are corrupt"))
}

/// Checks `fields` against `entity`: each names a field of it once, with
/// a column or a fixed value, and every required field is filled. Every
/// problem is listed (422).
pub(crate) fn check_fields(
    entity: &Entity,
    fields: &[MappingFieldInput],
) -> ServiceResult<Vec<MappingField>> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut out: Vec<MappingField> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let at = |p: &str| format!("fields[{i}].{p}");
        let Some(raw) = f.target_field_id.as_deref() else {
            problems.push((at("targetFieldId"), "is required".into()));
            continue;
        };
        let Some(field) = raw
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| entity.field(id))
        else {
            problems.push((
                at("targetFieldId"),
                format!("{raw} is not a field of {}", entity.name),
            ));
            continue;
        };
        let source = f
            .source_field_title
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (source, &f.fixed_value) {
            (None, None) => problems.push((
                at("sourceFieldTitle"),
                format!(
                    "{} ({}) needs a column (sourceFieldTitle) or a fixedValue",
                    field.title, field.id
                ),
            )),
            (Some(_), Some(_)) => problems.push((
                at("fixedValue"),
                "a field takes a column or a fixed value, not both".into(),
            )),
            _ => {}
        }
        if source.is_some_and(|s| s.chars().count() > 200) {
            problems.push((
                at("sourceFieldTitle"),
                "is longer than 200 characters".into(),
            ));
        }
        if f.fixed_value
            .as_ref()
            .is_some_and(|v| v.chars().count() > 4000)
        {
            problems.push((at("fixedValue"), "is longer than 4000 characters".into()));
        }
        if out.iter().any(|m| m.field_id == field.id) {
            problems.push((
                at("targetFieldId"),
                format!("{} ({}) is mapped twice", field.title, field.id),
            ));
            continue;
        }
        out.push(MappingField {
            source: source.map(str::to_owned),
            field_id: field.id,
            fixed: f.fixed_value.clone(),
        });
    }
    for req in entity.fields.iter().filter(|f| f.required) {
        if !out.iter().any(|m| m.field_id == req.id) {
            problems.push((
                "fields".into(),
                format!(
                    "the required field {} ({}) is not mapped",
                    req.title, req.id
                ),
            ));
        }
    }
    if problems.is_empty() {
        return Ok(out);
    }
    let summary = problems
        .iter()
        .map(|(f, m)| format!("{f}: {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut e = ServiceError::new(
        Code::Unprocessable,
        format!("The mapping is not valid: {summary}"),
    );
    e.fields = problems;
    Err(e)
}

fn title(t: Option<String>) -> ServiceResult<String> {
    let t = t.map(|t| t.trim().to_owned()).unwrap_or_default();
    if t.is_empty() {
        return Err(ServiceError::invalid_with(
            Code::Unprocessable,
            "title",
            "is required",
        ));
    }
    if t.chars().count() > 200 {
        return Err(ServiceError::invalid_with(
            Code::Unprocessable,
            "title",
            "is longer than 200 characters",
        ));
    }
    Ok(t)
}

fn fields_json(f: &[MappingField]) -> ServiceResult<String> {
    serde_json::to_string(f).map_err(ServiceError::internal)
}

fn entity_for_mapping(name: Option<&str>) -> ServiceResult<&'static Entity> {
    let name = name.ok_or_else(|| {
        ServiceError::invalid_with(Code::Unprocessable, "entityName", "is required")
    })?;
    entity(name).map_err(|_| {
        ServiceError::invalid_with(
            Code::Unprocessable,
            "entityName",
            format!("{name} is not an entity that can be imported"),
        )
    })
}

impl Services {
    pub async fn create_mapping(
        &self,
        ctx: &AuthContext,
        input: MappingInput,
    ) -> ServiceResult<MappingView> {
        let entity = entity_for_mapping(input.entity_name.as_deref())?;
        let title = title(input.title)?;
        let fields = check_fields(entity, input.fields.as_deref().unwrap_or_default())?;
        let at = now();
        let row = MappingRow {
            id: new_id("map"),
            organization_id: ctx.org_id().to_owned(),
            title,
            entity_name: entity.name.to_owned(),
            active: i64::from(input.active.unwrap_or(true)),
            fields: fields_json(&fields)?,
            created_at: at.clone(),
            updated_at: at,
        };
        let mut wtx = self.store.begin_write().await?;
        store::save_mapping(&mut wtx.tx, &row).await?;
        let v = view(row)?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_mapping(&self, ctx: &AuthContext, id: &str) -> ServiceResult<MappingView> {
        view(self.mapping_row(ctx, id).await?)
    }

    pub(crate) async fn mapping_row(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<MappingRow> {
        store::get_mapping(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or_else(|| ServiceError::new(Code::NotFound, format!("Mapping not found: {id}")))
    }

    pub async fn list_mappings(
        &self,
        ctx: &AuthContext,
        ask: PageAsk,
    ) -> ServiceResult<Paged<MappingView>> {
        let (page, per, offset) = ask.resolve()?;
        let mut conn = self.store.read_conn().await?;
        let (rows, total) = store::list_mappings(&mut conn, ctx.org_id(), offset, per).await?;
        let data = rows.into_iter().map(view).collect::<ServiceResult<_>>()?;
        Ok(paged(data, page, per, total))
    }

    pub async fn update_mapping(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: MappingInput,
    ) -> ServiceResult<MappingView> {
        let mut wtx = self.store.begin_write().await?;
        let mut row = store::get_mapping(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or_else(|| ServiceError::new(Code::NotFound, format!("Mapping not found: {id}")))?;
        let entity = entity_for_mapping(Some(
            input.entity_name.as_deref().unwrap_or(&row.entity_name),
        ))?;
        if input.title.is_some() {
            row.title = title(input.title)?;
        }
        let fields = match input.fields {
            Some(f) => check_fields(entity, &f)?,
            None => {
                // The entity may have changed: the fields must still fit it.
                let current: Vec<MappingFieldInput> = parse_fields(&row.fields)?
                    .into_iter()
                    .map(|f| MappingFieldInput {
                        source_field_title: f.source,
                        target_field_id: Some(f.field_id.to_string()),
                        fixed_value: f.fixed,
                    })
                    .collect();
                check_fields(entity, &current)?
            }
        };
        row.entity_name = entity.name.to_owned();
        row.fields = fields_json(&fields)?;
        if let Some(a) = input.active {
            row.active = i64::from(a);
        }
        row.updated_at = now();
        store::save_mapping(&mut wtx.tx, &row).await?;
        let v = view(row)?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn delete_mapping(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        if !store::delete_mapping(&mut wtx.tx, ctx.org_id(), id, &now()).await? {
            return Err(ServiceError::new(
                Code::NotFound,
                format!("Mapping not found: {id}"),
            ));
        }
        wtx.commit().await?;
        Ok(())
    }
}
