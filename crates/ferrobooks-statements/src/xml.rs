//! A small element tree shared by the OFX and CAMT readers.
//!
//! Statements are small (kilobytes to a few megabytes) and their readers
//! look fields up by path, so a tree is simpler to get right than a state
//! machine over events. [`TreeBuilder`] accepts SGML-style unclosed leaf
//! elements (OFX 1.x) as well as well-formed XML, so that both OFX
//! generations end in the same tree and are read by the same code.

use quick_xml::events::Event;

/// An element: its local name, attributes, text (for leaves) and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    /// The first child element with this name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element with this name.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a `/`-free path of child names.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, name| node.child(name))
    }

    /// Trimmed text at a path, `None` when missing or blank.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path)
            .map(|n| n.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Builds a [`Node`] tree from start/text/end events.
///
/// An element that received text and is followed by another start tag or
/// by someone else's end tag was an unclosed SGML leaf (`<TRNAMT>-12.50`)
/// and is closed implicitly. Aggregates must be closed explicitly, so a
/// truncated file is an error rather than a shorter statement.
pub(crate) struct TreeBuilder {
    stack: Vec<Node>,
    /// Whether unclosed leaves are allowed (OFX 1.x) or every element must
    /// be closed and text may sit beside children (XML).
    sgml: bool,
}

impl TreeBuilder {
    pub fn new(sgml: bool) -> Self {
        TreeBuilder {
            stack: vec![Node::default()],
            sgml,
        }
    }

    fn top(&mut self) -> &mut Node {
        // The root sentinel is never popped, so the stack is never empty.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// Closes the top element into its parent.
    fn close_top(&mut self) {
        if self.stack.len() > 1 {
            let node = self.stack.pop().unwrap_or_default();
            self.top().children.push(node);
        }
    }

    /// Whether the top element is an unclosed leaf: it has text and is not the root.
    fn top_is_open_leaf(&self) -> bool {
        self.sgml
            && self.stack.len() > 1
            && self.stack.last().is_some_and(|n| !n.text.trim().is_empty())
    }

    pub fn start(&mut self, name: &str, attrs: Vec<(String, String)>) {
        if self.top_is_open_leaf() {
            self.close_top();
        }
        self.stack.push(Node {
            name: name.to_owned(),
            attrs,
            ..Node::default()
        });
    }

    pub fn text(&mut self, text: &str) -> Result<(), String> {
        if self.stack.len() == 1 || (self.sgml && !self.top().children.is_empty()) {
            // Between elements: only layout whitespace belongs there.
            return match text.trim() {
                "" => Ok(()),
                stray => Err(format!("unexpected text {stray:?}")),
            };
        }
        self.top().text.push_str(text);
        Ok(())
    }

    /// Closes `name`. In SGML, elements still open above it never got an
    /// end tag, so they were leaves: the ones without text are empty leaves,
    /// and what was read as their children are really their next siblings.
    pub fn end(&mut self, name: &str) -> Result<(), String> {
        let open_at = self
            .stack
            .iter()
            .rposition(|n| n.name == name)
            .filter(|&at| at > 0);
        let Some(at) = open_at.filter(|&at| self.sgml || at == self.stack.len() - 1) else {
            return Err(format!("unexpected closing tag </{name}>"));
        };
        while self.stack.len() - 1 > at {
            let mut leaf = self.stack.pop().unwrap_or_default();
            let siblings = std::mem::take(&mut leaf.children);
            let parent = self.top();
            parent.children.push(leaf);
            parent.children.extend(siblings);
        }
        self.close_top();
        Ok(())
    }

    /// The root elements read, or the element a truncated file ends inside.
    pub fn finish(mut self) -> Result<Vec<Node>, String> {
        while self.top_is_open_leaf() {
            self.close_top();
        }
        if self.stack.len() == 1 {
            return Ok(self
                .stack
                .pop()
                .map(|root| root.children)
                .unwrap_or_default());
        }
        // The innermost element with content is the aggregate cut short.
        let open = self
            .stack
            .iter()
            .rev()
            .find(|n| !n.children.is_empty())
            .or(self.stack.last());
        Err(format!(
            "the file ends inside <{}>",
            open.map_or("", |n| n.name.as_str())
        ))
    }
}

/// Reads well-formed XML into its root elements, by local name (namespace
/// prefixes dropped: CAMT producers use `<Document>` and `<ns2:Document>`).
pub(crate) fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut tree = TreeBuilder::new(false);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let attrs = attributes(&e)?;
                tree.start(e.local_name().as_ref(), attrs);
            }
            Event::Empty(e) => {
                let attrs = attributes(&e)?;
                let name = e.local_name();
                tree.start(name.as_ref(), attrs);
                tree.end(name.as_ref())?;
            }
            Event::End(e) => tree.end(e.local_name().as_ref())?,
            Event::Text(t) => tree.text(&t.xml10_content())?,
            Event::CData(t) => tree.text(&t.xml10_content())?,
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(r.as_ref())
                        .ok_or_else(|| format!("unknown entity &{};", &*r))?
                        .to_owned(),
                };
                tree.text(&resolved)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    tree.finish()
}

fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    e.attributes()
        .map(|a| {
            let a = a.map_err(|e| e.to_string())?;
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            Ok((a.key.local_name().as_ref().to_owned(), value.into_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prefixed_xml_with_entities() {
        let roots = parse(
            r#"<?xml version="1.0"?><a:R xmlns:a="x"><a:B c="1">x &amp; y&#33;</a:B><E/></a:R>"#,
        )
        .unwrap_or_default();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].text_at(&["B"]), Some("x & y!"));
        assert_eq!(roots[0].at(&["B"]).and_then(|b| b.attr("c")), Some("1"));
        assert!(roots[0].child("E").is_some());
    }

    #[test]
    fn truncated_sgml_names_the_open_aggregate() {
        let mut t = TreeBuilder::new(true);
        t.start("A", vec![]);
        t.start("B", vec![]);
        t.start("X", vec![]);
        assert_eq!(t.text("1"), Ok(()));
        assert_eq!(t.finish(), Err("the file ends inside <B>".into()));
    }

    #[test]
    fn rejects_broken_xml() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a><b>1</b>").is_err());
    }

    #[test]
    fn closes_sgml_leaves() {
        let mut t = TreeBuilder::new(true);
        t.start("A", vec![]);
        t.start("X", vec![]);
        assert_eq!(t.text("1\n"), Ok(()));
        t.start("Y", vec![]);
        assert_eq!(t.text("2"), Ok(()));
        assert_eq!(t.end("Y"), Ok(()));
        t.start("EMPTY", vec![]);
        t.start("Z", vec![]);
        assert_eq!(t.text("3"), Ok(()));
        assert_eq!(t.end("A"), Ok(()));
        assert_eq!(t.end("B"), Err("unexpected closing tag </B>".into()));
        let roots = t.finish().unwrap_or_default();
        let names: Vec<&str> = roots[0].children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["X", "Y", "EMPTY", "Z"]);
        assert_eq!(roots[0].text_at(&["X"]), Some("1"));
        assert_eq!(roots[0].text_at(&["Y"]), Some("2"));
        assert_eq!(roots[0].text_at(&["Z"]), Some("3"));
    }
}
