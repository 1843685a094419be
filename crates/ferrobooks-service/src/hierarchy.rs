//! Parent accounts on the statements: the accounts of a section laid out
//! as their tree (each parent, the accounts under it one level deeper,
//! then a subtotal line of the parent and everything under it). A parent
//! with nothing of its own still heads its group, at zero.

use std::collections::{BTreeMap, HashMap};

use ferrobooks_domain::Currency;

use crate::amount::Amount;
use crate::financials::StatementLine;

/// The organization's accounts that have a parent or are one: id to
/// (parent, code, name). Empty when the chart is flat.
pub(crate) type Tree = HashMap<String, (Option<String>, String, String)>;

/// The lines of one section (an account line and its amount) nested by
/// `tree`. The amount paired with a subtotal line is zero, so the section
/// total, the sum of the pairs, counts every account once.
pub(crate) fn nest(
    lines: Vec<(StatementLine, i64)>,
    tree: &Tree,
    cur: Currency,
) -> Vec<(StatementLine, i64)> {
    if tree.is_empty() {
        return lines;
    }
    // Every line, and every parent above one, by id; lines that are not
    // accounts (computed ones) go last, as they are.
    let mut nodes: BTreeMap<String, (StatementLine, i64)> = BTreeMap::new();
    let mut loose = Vec::new();
    for (l, a) in lines {
        match l.account_id.clone() {
            Some(id) => {
                nodes.insert(id, (l, a));
            }
            None => loose.push((l, a)),
        }
    }
    let ids: Vec<String> = nodes.keys().cloned().collect();
    for id in ids {
        let mut at = tree.get(&id).and_then(|t| t.0.clone());
        while let Some(p) = at {
            if nodes.contains_key(&p) {
                break;
            }
            let Some((up, code, name)) = tree.get(&p) else {
                break;
            };
            let header = StatementLine {
                account_id: Some(p.clone()),
                code: code.clone(),
                name: name.clone(),
                subtype: String::new(),
                amount: Amount::new(0, cur),
                parent_id: up.clone(),
                depth: 0,
                subtotal: false,
            };
            nodes.insert(p.clone(), (header, 0));
            at = up.clone();
        }
    }
    let parent_of = |id: &str| -> Option<String> {
        tree.get(id)
            .and_then(|t| t.0.clone())
            .filter(|p| nodes.contains_key(p))
    };
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    let mut roots = Vec::new();
    for id in nodes.keys() {
        match parent_of(id) {
            Some(p) => children.entry(p).or_default().push(id.clone()),
            None => roots.push(id.clone()),
        }
    }
    let by_code = |v: &mut Vec<String>| v.sort_by(|a, b| nodes[a].0.code.cmp(&nodes[b].0.code));
    by_code(&mut roots);
    for v in children.values_mut() {
        by_code(v);
    }
    let mut out = Vec::with_capacity(nodes.len() * 2);
    for r in &roots {
        emit(r, 0, &nodes, &children, cur, &mut out);
    }
    out.extend(loose);
    out
}

/// Emits `id` at `depth`, everything under it, and its subtotal; returns
/// the amount of the group.
fn emit(
    id: &str,
    depth: u32,
    nodes: &BTreeMap<String, (StatementLine, i64)>,
    children: &HashMap<String, Vec<String>>,
    cur: Currency,
    out: &mut Vec<(StatementLine, i64)>,
) -> i64 {
    let (line, own) = &nodes[id];
    let mut l = line.clone();
    l.depth = depth;
    out.push((l, *own));
    let Some(kids) = children.get(id) else {
        return *own;
    };
    let mut group = *own;
    for k in kids {
        group += emit(k, depth + 1, nodes, children, cur, out);
    }
    out.push((
        StatementLine {
            account_id: None,
            code: String::new(),
            name: format!("Total {}", line.name),
            subtype: "subtotal".into(),
            amount: Amount::new(group, cur),
            parent_id: Some(id.to_owned()),
            depth,
            subtotal: true,
        },
        0,
    ));
    group
}
