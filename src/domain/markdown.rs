//! Markdown bodies, rendered to HTML that is safe in any page or feed.

/// Renders Markdown and removes anything that could run or restyle a page
/// (scripts, event handlers, styles, `javascript:` links).
pub fn to_safe_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(to_safe_html("Hei *på* deg"), "<p>Hei <em>på</em> deg</p>\n");
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script><a href=\"javascript:x()\" onclick=\"y()\">lenke</a>",
        );
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("lenke"));
    }
}
