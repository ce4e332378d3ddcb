//! Markdown bodies: refused when too costly to render, otherwise rendered once,
//! when written, to HTML that is safe in any page or feed.
//!
//! The sanitiser's HTML parser checks each new element against the elements
//! open around it, so its time grows with the square of the nesting: a 50 KB
//! body of nested quotes took 12 s, and was rendered again on every read.
//! Markdown's own parser is linear, so walking its events is a cheap measure
//! of that nesting, and the walk's events are then the ones rendered. Within
//! that nesting, what rendering costs grows with the HTML it makes, which a
//! few bytes of Markdown can multiply (`>` is a whole `<blockquote>`), so
//! that is bounded too, before it is sanitised.
//!
//! A body is shown under its notice's title, the page's one h1, so its
//! headings are kept below it: the body's top heading becomes an h2.

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// How deep block quotes and lists, emphasis and links, and HTML elements may
/// each nest. Far beyond what a notice needs, and shallow enough that the
/// sanitiser's checks stay short: what it costs then grows with the length.
pub const NESTING_MAX: usize = 16;

/// How much HTML a body may render to, in bytes: five times the longest
/// body, room for short list items and table cells, whose tags outweigh
/// their text; a body of nested quotes at the limit would make 1.1 MB.
pub const HTML_MAX: usize = 250_000;

/// Why a body is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooCostly {
    /// Block quotes and lists nest more than `NESTING_MAX` levels deep.
    NestedBlocks,
    /// Emphasis, links and images do.
    NestedInline,
    /// Raw HTML elements do.
    NestedHtml,
    /// It renders to more than `HTML_MAX` bytes of HTML: this many.
    TooMuchHtml(usize),
}

impl std::fmt::Display for TooCostly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let nested = match self {
            TooCostly::NestedBlocks => "block quotes and lists",
            TooCostly::NestedInline => "emphasis and links",
            TooCostly::NestedHtml => "HTML elements",
            TooCostly::TooMuchHtml(bytes) => {
                return write!(
                    f,
                    "renders to {} kB of HTML; at most {} kB are allowed, so shorten it",
                    bytes.div_ceil(1000),
                    HTML_MAX / 1000
                )
            }
        };
        write!(
            f,
            "nests {nested} more than {NESTING_MAX} levels deep; use fewer levels"
        )
    }
}

/// A Markdown body and the sanitised HTML it renders to, made together so that
/// readers never render and never show HTML made from another text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    markdown: String,
    html: String,
}

impl Body {
    /// Renders a body, or refuses one too costly to render.
    pub fn render(markdown: String) -> Result<Self, TooCostly> {
        let html = to_safe_html(&markdown)?;
        Ok(Self { markdown, html })
    }

    /// Renders a body that was never checked (stored before bodies were
    /// checked): one too costly is shown as its text, escaped, so that even a
    /// hostile one costs time in proportion to its length.
    pub fn render_or_escape(markdown: String) -> Self {
        let html = to_safe_html(&markdown)
            .unwrap_or_else(|_| format!("<pre>{}</pre>", ammonia::clean_text(&markdown)));
        Self { markdown, html }
    }

    /// A body as stored: its Markdown and the HTML rendered from it.
    pub fn stored(markdown: String, html: String) -> Self {
        Self { markdown, html }
    }

    pub fn markdown(&self) -> &str {
        &self.markdown
    }

    /// The HTML, its headings below a title that is an h1: from h2 down.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The HTML, its headings below a title at heading level `title` (an h2
    /// in the editor's preview, under the form's own h1).
    pub fn html_under(&self, title: u8) -> Cow<'_, str> {
        headings_below(&self.html, title)
    }
}

/// Renders Markdown and removes anything that could run or restyle a page
/// (scripts, event handlers, styles, `javascript:` links).
fn to_safe_html(markdown: &str) -> Result<String, TooCostly> {
    let events = checked_events(markdown)?;
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if html.len() > HTML_MAX {
        return Err(TooCostly::TooMuchHtml(html.len()));
    }
    let html = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string();
    Ok(headings_below(&html, 1).into_owned())
}

/// Moves the headings of sanitised HTML down so that the top one is right
/// below a heading of level `title`; the others keep their distance from it,
/// as far as h6. Headings already below the title stay as written: a body
/// whose top heading is `##` was written for a page with a title.
///
/// Both Markdown's `#` and raw `<h1>` are moved, as this reads the
/// sanitiser's output, where every `<` outside a tag is escaped and every
/// attribute value is in double quotes.
fn headings_below(html: &str, title: u8) -> Cow<'_, str> {
    let tags = heading_tags(html);
    let Some(top) = tags.iter().filter(|t| !t.closing).map(|t| t.level).min() else {
        return Cow::Borrowed(html);
    };
    if top > title {
        return Cow::Borrowed(html);
    }
    let down = title + 1 - top;
    let mut bytes = html.as_bytes().to_vec();
    for tag in tags {
        bytes[tag.digit] = b'0' + (tag.level + down).min(6);
    }
    // Only ASCII digits were replaced, by ASCII digits.
    Cow::Owned(String::from_utf8(bytes).expect("still UTF-8"))
}

/// A heading's start or end tag in sanitised HTML.
struct HeadingTag {
    /// Where the digit of its name is.
    digit: usize,
    level: u8,
    closing: bool,
}

fn heading_tags(html: &str) -> Vec<HeadingTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        at += found + 1;
        let closing = bytes.get(at) == Some(&b'/');
        if closing {
            at += 1;
        }
        if let [b'h', digit @ b'1'..=b'6', end, ..] = bytes[at..] {
            if end == b'>' || end == b'/' || end.is_ascii_whitespace() {
                tags.push(HeadingTag {
                    digit: at + 1,
                    level: digit - b'0',
                    closing,
                });
            }
        }
        // To the tag's end, in case a quoted attribute value holds a `>`
        // (the sanitiser escapes it now; that is its choice, not HTML's rule).
        let mut quoted = false;
        while at < bytes.len() && (quoted || bytes[at] != b'>') {
            quoted ^= bytes[at] == b'"';
            at += 1;
        }
    }
    tags
}

/// The parser's events, unless something nests too deep: the walk stops at
/// the first level too many, and the parser itself is linear.
fn checked_events(markdown: &str) -> Result<Vec<Event<'_>>, TooCostly> {
    let (mut blocks, mut inline) = (0usize, 0usize);
    let mut html = HtmlNesting::default();
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match &event {
            // An item is always in a list: a list and its item are one level.
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                blocks += 1;
                if blocks > NESTING_MAX {
                    return Err(TooCostly::NestedBlocks);
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => blocks -= 1,
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            ) => {
                inline += 1;
                if inline > NESTING_MAX {
                    return Err(TooCostly::NestedInline);
                }
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => inline -= 1,
            Event::Html(text) | Event::InlineHtml(text) => html.read(text)?,
            _ => {}
        }
        events.push(event);
    }
    Ok(events)
}

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Start tags that end an open paragraph, as in HTML.
const ENDS_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];
/// Elements a paragraph's implied end is not looked for beyond (HTML's button scope).
const BUTTON_SCOPE: &[&str] = &[
    "applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th",
];

/// The open elements whose end a start tag implies (a new `li` ends the open
/// one), and the elements beyond which that end is not looked for (the list
/// the `li` is in), so that HTML written without its optional end tags is not
/// taken for nesting.
fn implied_ends(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match name {
        "li" => (&["li"], &["ul", "ol", "menu"]),
        "dt" | "dd" => (&["dt", "dd"], &["dl"]),
        "tr" => (&["tr"], &["table", "thead", "tbody", "tfoot"]),
        "td" | "th" => (&["td", "th"], &["tr", "table"]),
        "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot"], &["table"]),
        "option" => (&["option"], &["select", "datalist", "optgroup"]),
        "optgroup" => (&["option", "optgroup"], &["select"]),
        "rt" | "rp" => (&["rt", "rp"], &["ruby"]),
        _ => (&[], &[]),
    }
}

/// The nesting of the raw HTML in a body, as near as a scan of its tags can
/// tell without building the tree. Each byte is looked at once, and the stack
/// never holds more than `NESTING_MAX` names, so this is linear too.
#[derive(Default)]
struct HtmlNesting {
    open: Vec<String>,
}

impl HtmlNesting {
    fn read(&mut self, html: &str) -> Result<(), TooCostly> {
        let bytes = html.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] != b'<' {
                at += 1;
                continue;
            }
            at += 1;
            let closing = bytes.get(at) == Some(&b'/');
            if closing {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'-') {
                at += 1;
            }
            let name = html[start..at].to_ascii_lowercase();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue; // a comment, a declaration, or a lone `<`
            }
            // To the tag's end; a `>` in a quoted attribute value does not end it.
            let (mut quote, mut last) = (None, b' ');
            while at < bytes.len() {
                let byte = bytes[at];
                match quote {
                    Some(q) if byte == q => quote = None,
                    Some(_) => {}
                    None if byte == b'"' || byte == b'\'' => quote = Some(byte),
                    None if byte == b'>' => break,
                    None if !byte.is_ascii_whitespace() => last = byte,
                    None => {}
                }
                at += 1;
            }
            if closing {
                self.end(&[name.as_str()], &[]);
            } else if last != b'/' && !VOID.contains(&name.as_str()) {
                self.start(name)?;
            }
        }
        Ok(())
    }

    fn start(&mut self, name: String) -> Result<(), TooCostly> {
        let (ends, within) = implied_ends(&name);
        self.end(ends, within);
        if ENDS_P.contains(&name.as_str()) {
            self.end(&["p"], BUTTON_SCOPE);
        }
        self.open.push(name);
        if self.open.len() > NESTING_MAX {
            return Err(TooCostly::NestedHtml);
        }
        Ok(())
    }

    /// Closes the innermost open element named in `names`, and all inside it,
    /// unless one named in `within` comes first.
    fn end(&mut self, names: &[&str], within: &[&str]) {
        for at in (0..self.open.len()).rev() {
            let open = self.open[at].as_str();
            if names.contains(&open) {
                self.open.truncate(at);
                return;
            }
            if within.contains(&open) {
                return;
            }
        }
    }
}
