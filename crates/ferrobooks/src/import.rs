//! `ferrobooks import`: a file into an organization's books through the
//! importer's use cases, run in this process with a progress bar.

use std::time::Duration;

use anyhow::Context;
use ferrobooks_service::importer::{
    MappingFieldInput, MappingInput, NewImport, PageAsk, ResultFilter,
};
use ferrobooks_service::{AuthContext, Services};
use ferrobooks_store::tenancy::OrganizationRow;

use crate::cli_error;

pub struct Args {
    pub entity: String,
    /// None: auto-mapping.
    pub mapping: Option<String>,
    pub dry_run: bool,
    pub sheet: Option<String>,
    pub file: std::path::PathBuf,
}

pub async fn run(s: &Services, org: OrganizationRow, a: Args) -> anyhow::Result<()> {
    let ctx = AuthContext::system(org);
    let bytes =
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let file_name = a.file.file_name().map(|n| n.to_string_lossy().into_owned());
    let upload = |dry_run: bool, mapping_id: String| NewImport {
        file: bytes.clone(),
        file_name: file_name.clone(),
        mapping_id,
        sheet_name: a.sheet.clone(),
        dry_run,
    };
    let mapping_id = match &a.mapping {
        Some(id) => {
            let m = s.get_mapping(&ctx, id).await.map_err(cli_error)?;
            anyhow::ensure!(
                m.entity_name == a.entity,
                "mapping {id} is for {}, not {}",
                m.entity_name,
                a.entity
            );
            id.clone()
        }
        None => {
            let p = s
                .auto_import(&ctx, &a.entity, upload(true, String::new()))
                .await
                .map_err(cli_error)?;
            for f in &p.proposed_fields {
                eprintln!(
                    "  {} -> {} ({})",
                    f.source_field_title, f.target_field_name, f.confidence
                );
            }
            anyhow::ensure!(
                p.missing_required.is_empty(),
                "no column matches the required field(s) {}: save a mapping and pass --mapping",
                p.missing_required.join(", ")
            );
            let m = s
                .create_mapping(
                    &ctx,
                    MappingInput {
                        title: Some(format!(
                            "{} (auto, {})",
                            a.entity,
                            file_name.clone().unwrap_or_default()
                        )),
                        entity_name: Some(a.entity.clone()),
                        active: Some(true),
                        fields: Some(
                            p.proposed_fields
                                .iter()
                                .map(|f| MappingFieldInput {
                                    source_field_title: Some(f.source_field_title.clone()),
                                    target_field_id: Some(f.target_field_id.clone()),
                                    fixed_value: None,
                                })
                                .collect(),
                        ),
                    },
                )
                .await
                .map_err(cli_error)?;
            eprintln!("mapping {} saved", m.id);
            m.id
        }
    };
    let started = s
        .create_import(&ctx, upload(a.dry_run, mapping_id))
        .await
        .map_err(cli_error)?;
    let id = started.id.clone();
    let bar = indicatif::ProgressBar::new(u64::try_from(started.progress.rows_total).unwrap_or(0));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (s2, c2, id2) = (s.clone(), ctx.clone(), id.clone());
    let work = tokio::spawn(async move { s2.run_import(&c2, &id2).await });
    while !work.is_finished() {
        if let Ok(v) = s.get_import(&ctx, &id).await {
            bar.set_position(u64::try_from(v.progress.rows_done).unwrap_or(0));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let done = work.await?.map_err(cli_error)?;
    bar.set_position(u64::try_from(done.progress.rows_done).unwrap_or(0));
    bar.finish();
    let sum = &done.summary;
    println!(
        "import {id}: {}{}: {} entities, {} succeeded, {} failed, {} with warnings",
        done.status,
        if done.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
        sum.total,
        sum.succeeded,
        sum.failed,
        sum.warnings
    );
    if let Some(e) = &done.error {
        println!("  {e}");
    }
    let mut page = 1;
    loop {
        let r = s
            .import_results(
                &ctx,
                &id,
                ResultFilter::Error,
                PageAsk {
                    page: Some(page),
                    per_page: Some(100),
                },
            )
            .await
            .map_err(cli_error)?;
        for row in &r.data {
            println!("  row {}: {}", row.order_number, row.text);
        }
        if page >= r.pagination.total_pages {
            break;
        }
        page += 1;
    }
    Ok(())
}
