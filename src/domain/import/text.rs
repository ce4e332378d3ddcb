//! An upstream title or summary as a notice's plain text.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde_json::Value;

use crate::domain::validation;
use crate::domain::validation::xml_safe;

/// `raw` as one line of plain text within `max` characters, or `None` when
/// nothing visible is left.
///
/// `raw` is read as HTML whatever the feed calls it: RSS says nothing about
/// markup in titles, feeds mislabel, and feed-rs hands back markup nested in a
/// text element as text. A plain `<` before a letter is the only text that
/// reading loses.
///
/// Then whitespace is folded to single spaces (non-breaking spaces are kept),
/// characters XML cannot carry are removed and so are those a notice may not
/// hold although XML can (DEL, C1 controls, direction overrides), and text
/// over `max` is cut at a character with «…» so that it ends within `max`.
/// The result passes `validation::text`, the check an editor's text passes.
pub(super) fn clean(raw: &str, max: usize) -> Option<String> {
    let spaced: String = html_text(raw)
        .chars()
        .map(|c| if breaking_space(c) { ' ' } else { c })
        .collect();
    let kept: String = xml_safe(&spaced).chars().filter(|&c| !refused(c)).collect();
    let folded = kept.split(' ').filter(|w| !w.is_empty());
    let line = cut(&folded.collect::<Vec<_>>().join(" "), max);
    validation::text(&Value::String(line), max, false).ok()
}

/// Whitespace that separates words; the non-breaking spaces of «1 500 000 kr»
/// and «§ 3» stay as they are.
fn breaking_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// What XML carries but a notice may not hold: controls (C1 and DEL; the
/// C0 ones are gone with `xml_safe`) and characters that change the
/// direction of the text around them.
fn refused(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` within `max` characters: cut, trailing space dropped, and «…» added.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", head.trim_end())
}

/// The text of an HTML fragment, its character references decoded, by
/// html5ever's tokenizer: the tree is not needed for text. The tokenizer is
/// switched into raw text where the tree builder would do it, so that a
/// script's or style's content is skipped and never read as markup.
fn html_text(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take()
}

/// Elements whose end or start separates words: blocks, line breaks, cells.
const SEPARATING: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside a script, style or the like, whose text is not for readers.
    skipping: Cell<bool>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(chars) if !self.skipping.get() => {
                self.text.borrow_mut().push_str(&chars);
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if SEPARATING.contains(&name) {
                    self.text.borrow_mut().push(' ');
                }
                if tag.kind == TagKind::EndTag {
                    // In raw text only the raw element's own end tag ends it.
                    self.skipping.set(false);
                    return TokenSinkResult::Continue;
                }
                match name {
                    "script" => {
                        self.skipping.set(true);
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        self.skipping.set(true);
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => return TokenSinkResult::Plaintext,
                    _ => {}
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_read_as_text_with_its_references_decoded() {
        let clean = |raw| clean(raw, 100).unwrap();
        assert_eq!(clean("<p>Søk &amp; få</p>"), "Søk & få");
        assert_eq!(
            clean("<b>Sø</b>k &laquo;n&aring;&raquo; &#8211; &#x2013;"),
            "Søk «nå» – –"
        );
        assert_eq!(
            clean("<p>Én</p><p>To</p>tre<br>fire<li>fem"),
            "Én To tre fire fem"
        );
        assert_eq!(
            clean("a<script>x = '<p>b</p>'</script>c<style>p{}</style>d"),
            "acd"
        );
        assert_eq!(clean("a<!-- b -->c<title>&lt;d&gt;</title>"), "ac<d>");
        assert_eq!(clean("2 < 3 & 4 > 1, AT&T"), "2 < 3 & 4 > 1, AT&T");
    }

    #[test]
    fn whitespace_is_folded_but_non_breaking_spaces_are_kept() {
        let raw = "  Tilskudd\n\t til \r\n kommuner\u{2028}og 1\u{a0}500\u{a0}000\u{a0}kr  ";
        assert_eq!(
            clean(raw, 100).unwrap(),
            "Tilskudd til kommuner og 1\u{a0}500\u{a0}000\u{a0}kr"
        );
    }

    #[test]
    fn what_a_notice_may_not_hold_is_removed() {
        let raw = "Hei\u{0}\u{7}\u{1b} du\u{7f}\u{85}\u{9f} \u{202e}der\u{2066}\u{fffe}\u{ffff}!";
        assert_eq!(clean(raw, 100).unwrap(), "Hei du der!");
        assert_eq!(clean("&#7;&#x202E;ok", 100).unwrap(), "ok");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_limit() {
        assert_eq!(clean(&"æøå ".repeat(20), 10).unwrap(), "æøå æøå æ…");
        assert_eq!(clean("Søk nå", 5).unwrap(), "Søk…", "no space before «…»");
        assert_eq!(
            clean(&"ø".repeat(11), 10).unwrap(),
            format!("{}…", "ø".repeat(9))
        );
        assert_eq!(clean(&"ø".repeat(10), 10).unwrap(), "ø".repeat(10));
    }

    #[test]
    fn nothing_visible_is_nothing() {
        for raw in [
            "",
            "  \n ",
            "<p></p>",
            "<br>",
            "\u{200b}",
            "<script>x</script>",
            "\u{7}",
        ] {
            assert_eq!(clean(raw, 100), None, "{raw:?}");
        }
    }
}
