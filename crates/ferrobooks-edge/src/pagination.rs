//! Cursor pagination: `?limit=` (1-100, default 20) and an opaque
//! `?cursor=` that only this server gives out. Each surface wraps a page in
//! its own list envelope.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ferrobooks_service::Code;
use ferrobooks_service::page::{DEFAULT_LIMIT, MAX_LIMIT};

use crate::error::ApiError;

const CURSOR_TAG: &str = "c1:";

/// Parses `limit` and `cursor` into a page size and the id to start after.
pub fn page_args(
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<(i64, Option<String>), ApiError> {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(n) => Some(i64::from(n))
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    Code::InvalidQuery,
                    format!("limit must be 1 to {MAX_LIMIT}"),
                )
                .with_detail("limit", format!("{n} is not between 1 and {MAX_LIMIT}"))
            })?,
    };
    let after = match cursor {
        None | Some("") => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            ApiError::new(
                Code::InvalidCursor,
                "cursor is not one this server gave out",
            )
        })?),
    };
    Ok((limit, after))
}

fn decode_cursor(c: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let id = s.strip_prefix(CURSOR_TAG)?;
    id.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        .then(|| id.to_owned())
}

pub fn encode_cursor(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_TAG}{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = encode_cursor("acc_01abc");
        assert_eq!(
            page_args(None, Some(&c)).unwrap().1.as_deref(),
            Some("acc_01abc")
        );
        assert!(page_args(None, Some("junk!")).is_err());
        assert!(page_args(Some(0), None).is_err());
        assert!(page_args(Some(101), None).is_err());
        assert_eq!(page_args(Some(5), None).unwrap().0, 5);
    }
}
