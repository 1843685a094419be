//! Matching a file's column headers to an entity's fields.
//!
//! - `high`: the header is the field's title or one of its alternative
//!   titles (case and surrounding spaces aside);
//! - `medium`: the header is the field's short name, its title without
//!   the `Line.` prefix, `Ref.name` / `Ref.value` / `Addr.` parts or the
//!   `Txn` prefix (`Date` for `TxnDate`, `Amount` for `Line.Amount`,
//!   `Item` for `Line.ItemRef.name`);
//! - `low`: the same once everything but letters and digits is dropped
//!   (`invoice_number` for `Invoice Number`).
//!
//! Each field takes the best header for it, each header one field; ties
//! go to the earlier header.

use super::catalog::{Entity, Field};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A header matched to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub header: String,
    pub field_id: u32,
    pub confidence: Confidence,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn short_name(title: &str) -> String {
    let t = title.strip_prefix("Line.").unwrap_or(title);
    let t = t
        .trim_end_matches(".name")
        .trim_end_matches(".value")
        .trim_end_matches(".Address")
        .trim_end_matches(".FreeFormNumber");
    let t = t.strip_suffix("Ref").unwrap_or(t);
    let t = t.rsplit('.').next().unwrap_or(t);
    let t = t.strip_prefix("Txn").unwrap_or(t);
    t.to_owned()
}

/// How well `header` names `field`, if at all.
pub fn confidence(header: &str, field: &Field) -> Option<Confidence> {
    let h = header.trim();
    let eq = |t: &str| t.trim().eq_ignore_ascii_case(h);
    if eq(field.title) || field.alternative_titles.iter().any(|a| eq(a)) {
        return Some(Confidence::High);
    }
    let short = short_name(field.title);
    if eq(&short) {
        return Some(Confidence::Medium);
    }
    let sh = squash(h);
    if !sh.is_empty()
        && (sh == squash(field.title)
            || sh == squash(&short)
            || field.alternative_titles.iter().any(|a| squash(a) == sh))
    {
        return Some(Confidence::Low);
    }
    None
}

/// The best field for each header that matches one, in header order.
pub fn propose(headers: &[String], entity: &Entity) -> Vec<Proposed> {
    let mut candidates: Vec<(Confidence, usize, u32)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        for f in &entity.fields {
            if let Some(c) = confidence(h, f) {
                candidates.push((c, i, f.id));
            }
        }
    }
    // Best first; among equals, the earlier header, then the earlier field.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut taken_h = vec![false; headers.len()];
    let mut taken_f: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for (c, i, id) in candidates {
        if taken_h[i] || taken_f.contains(&id) {
            continue;
        }
        taken_h[i] = true;
        taken_f.push(id);
        out.push(Proposed {
            header: headers[i].clone(),
            field_id: id,
            confidence: c,
        });
    }
    out.sort_by_key(|p| headers.iter().position(|h| *h == p.header));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::catalog::entity;

    #[test]
    fn the_reference_sample_headers() {
        let headers: Vec<String> = ["Invoice #", "Customer", "Date", "Item", "Amount", "Memo"]
            .map(String::from)
            .to_vec();
        let p = propose(&headers, entity("Invoice").unwrap());
        let got: Vec<(&str, u32, &str)> = p
            .iter()
            .map(|p| (p.header.as_str(), p.field_id, p.confidence.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Invoice #", 231, "high"),
                ("Customer", 176, "high"),
                ("Date", 179, "medium"),
                ("Item", 232, "medium"),
                ("Amount", 237, "medium"),
            ]
        );
    }

    #[test]
    fn squashed_names_match_low_and_a_field_is_taken_once() {
        let headers: Vec<String> = ["invoice_number", "DocNumber", "txn-date"]
            .map(String::from)
            .to_vec();
        let p = propose(&headers, entity("Invoice").unwrap());
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].header.as_str(), p[0].confidence),
            ("DocNumber", Confidence::High)
        );
        assert_eq!(
            (p[1].header.as_str(), p[1].confidence),
            ("txn-date", Confidence::Low)
        );
    }
}
