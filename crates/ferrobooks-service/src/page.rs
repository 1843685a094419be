//! One page of a list, ordered by id (creation order), with the id to
//! continue after.

/// Default and largest page sizes (API.md).
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
    /// The id of the last item, when there are more items after it.
    pub next_after: Option<String>,
}

/// Cuts a fetch of `limit + 1` rows down to a page.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, id: impl Fn(&T) -> &str) -> Page<T> {
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_after = if has_more {
        rows.last().map(|r| id(r).to_owned())
    } else {
        None
    };
    Page {
        items: rows,
        has_more,
        next_after,
    }
}

impl<T> Page<T> {
    /// The same page with each item turned into another (a row into its
    /// view), or the first error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, E>>()?,
            has_more: self.has_more,
            next_after: self.next_after,
        })
    }
}
