use super::*;

fn html(markdown: &str) -> String {
    Body::render(markdown.to_owned()).unwrap().html().to_owned()
}

fn refusal(markdown: &str) -> TooCostly {
    Body::render(markdown.to_owned()).unwrap_err()
}

#[test]
fn markdown_becomes_html() {
    assert_eq!(html("Hei *på* deg"), "<p>Hei <em>på</em> deg</p>\n");
}

#[test]
fn headings_start_below_the_title() {
    assert_eq!(html("# Overskrift"), "<h2>Overskrift</h2>\n");
    assert_eq!(
        html("# A\n## B\n### C\n#### D\n##### E\n###### F"),
        "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n<h5>D</h5>\n<h6>E</h6>\n<h6>F</h6>\n"
    );
    assert_eq!(html("Overskrift\n==="), "<h2>Overskrift</h2>\n");
    assert_eq!(
        html("<h1 title=\"<h1>\">Rå</h1>"),
        "<h2 title=\"&lt;h1&gt;\">Rå</h2>"
    );
    // Written for a page with a title already: as written.
    assert_eq!(
        html("## Hvem kan søke\n### Frist"),
        "<h2>Hvem kan søke</h2>\n<h3>Frist</h3>\n"
    );
    // Text that looks like a heading tag is text.
    assert_eq!(
        html("`<h1>` og 1 <h1"),
        "<p><code>&lt;h1&gt;</code> og 1 &lt;h1</p>\n"
    );
}

#[test]
fn under_a_title_further_down_the_headings_follow() {
    let body = Body::render("# A\n\n## B\n\ntekst".into()).unwrap();
    assert_eq!(body.html_under(1), body.html());
    assert_eq!(body.html_under(2), "<h3>A</h3>\n<h4>B</h4>\n<p>tekst</p>\n");
    let plain = Body::render("tekst".into()).unwrap();
    assert!(matches!(plain.html_under(2), Cow::Borrowed(_)));
}

#[test]
fn scripts_and_handlers_are_removed() {
    let html =
        html("<script>alert(1)</script><a href=\"javascript:x()\" onclick=\"y()\">lenke</a>");
    assert!(!html.contains("script"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains("lenke"));
}

// These bodies are as long as a body may be. Each took seconds to minutes
// to render; the check refuses them in a linear walk, so a quadratic
// check would show here as a test that does not finish.
#[test]
fn deeply_nested_quotes_and_lists_are_refused() {
    assert_eq!(
        refusal(&(">".repeat(49_990) + "x")),
        TooCostly::NestedBlocks
    );
    assert_eq!(
        refusal(&("- ".repeat(24_990) + "x")),
        TooCostly::NestedBlocks
    );
    assert_eq!(
        refusal(&("1. ".repeat(16_660) + "x")),
        TooCostly::NestedBlocks
    );
    assert_eq!(
        refusal(&("> - ".repeat(12_490) + "x")),
        TooCostly::NestedBlocks
    );
    let indented: String = (0..200).map(|i| " ".repeat(2 * i) + "- x\n").collect();
    assert_eq!(refusal(&indented), TooCostly::NestedBlocks);
    let staircase: String = (0..200).map(|i| "> ".repeat(i) + "- x\n").collect();
    assert_eq!(refusal(&staircase), TooCostly::NestedBlocks);
}

#[test]
fn deeply_nested_emphasis_links_and_html_are_refused() {
    let stars = "*".repeat(20_000);
    assert_eq!(
        refusal(&format!("{stars}x{stars}")),
        TooCostly::NestedInline
    );
    assert_eq!(
        refusal(&("![".repeat(10_000) + "x" + &"](/a)".repeat(10_000))),
        TooCostly::NestedInline
    );
    assert_eq!(refusal(&"<div>".repeat(10_000)), TooCostly::NestedHtml);
    assert_eq!(refusal(&"<ul><li>".repeat(6_000)), TooCostly::NestedHtml);
    assert_eq!(
        refusal(&"x <blockquote>".repeat(3_500)),
        TooCostly::NestedHtml
    );
}

#[test]
fn nesting_up_to_the_limit_is_rendered() {
    let quotes = ">".repeat(NESTING_MAX) + " x";
    assert_eq!(html(&quotes).matches("<blockquote>").count(), NESTING_MAX);
    assert_eq!(
        refusal(&(">".repeat(NESTING_MAX + 1) + " x")),
        TooCostly::NestedBlocks
    );
    let lists = "- ".repeat(NESTING_MAX) + "x";
    assert_eq!(html(&lists).matches("<ul>").count(), NESTING_MAX);
    let divs = "<div>".repeat(NESTING_MAX) + &"</div>".repeat(NESTING_MAX);
    assert!(
        Body::render(divs.clone() + &divs).is_ok(),
        "closed tags unnest"
    );
}

#[test]
fn a_body_that_would_render_to_too_much_html_is_refused() {
    let quotes = (">".repeat(NESTING_MAX) + " x\n\n").repeat(2_400);
    assert!(quotes.len() < 50_000);
    assert!(matches!(refusal(&quotes), TooCostly::TooMuchHtml(bytes) if bytes > 1_000_000));
    // Every row is padded to the head's thousand cells.
    let wide = "|a".repeat(1_000) + "|\n" + &"|-".repeat(1_000) + "|\n" + &"|x\n".repeat(100);
    assert!(matches!(refusal(&wide), TooCostly::TooMuchHtml(_)));
    let prose = "Et avsnitt med *litt* tekst og en [lenke](https://www.helsedirektoratet.no).\n\n- ett punkt\n- og ett til\n\n";
    assert!(
        Body::render(prose.repeat(500)).is_ok(),
        "50 kB of ordinary Markdown"
    );
}

#[test]
fn ordinary_html_is_not_taken_for_nesting() {
    let list = format!("<ul>{}</ul>", "<li><p>punkt".repeat(40));
    let rows = format!("<table>{}</table>", "<tr><td>a<td>b".repeat(40));
    let terms = format!("<dl>{}</dl>", "<dt>a<dd>b".repeat(40));
    let paragraphs = "<p>ett<br>to<hr/><img src=\"/a.png\" alt='a > b'>".repeat(40);
    let blocks = "<p>a<div>b</div>".repeat(40);
    for body in [list, rows, terms, paragraphs, blocks, "`<div>`".repeat(100)] {
        assert!(Body::render(body.clone()).is_ok(), "{body}");
    }
}

#[test]
fn an_unchecked_body_too_deep_is_shown_as_text() {
    let hostile = ">".repeat(49_990) + "<script>x";
    let body = Body::render_or_escape(hostile.clone());
    assert!(body.html().starts_with("<pre>&gt;&gt;"));
    assert!(!body.html().contains("<script"));
    assert!(!body.html().contains("<blockquote"));
    assert_eq!(body.markdown(), hostile);
    assert_eq!(
        Body::render_or_escape("*ja*".into()).html(),
        "<p><em>ja</em></p>\n"
    );
}

#[test]
fn the_message_says_what_and_how_deep() {
    assert_eq!(
        TooCostly::NestedBlocks.to_string(),
        "nests block quotes and lists more than 16 levels deep; use fewer levels"
    );
}
