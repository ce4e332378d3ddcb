//! Plain-text bodies: prose broken into short lines, blank lines tidied.

/// The longest line of prose in a plain-text body, in characters: what
/// reads well in a terminal and leaves room for a reply's quote marks.
pub const TEXT_WIDTH: usize = 72;

/// The text with no space at a line's end, at most one blank line in a row,
/// and one line break at the end: templates may leave blank lines freely.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        blank = false;
    }
    out
}

/// `text` with each of its lines broken at spaces into lines of at most
/// `width` characters; a longer word (an address) stays whole on its own.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut length = 0;
        let mut at_break = false;
        // At single spaces, so that words keep any other spacing between them.
        for (j, word) in line.split(' ').enumerate() {
            let chars = word.chars().count();
            if j > 0 {
                if at_break && word.is_empty() {
                    continue;
                }
                if length > 0 && length + 1 + chars > width {
                    out.push('\n');
                    length = 0;
                    at_break = true;
                } else if !at_break {
                    out.push(' ');
                    length += 1;
                }
            }
            out.push_str(word);
            length += chars;
            at_break = at_break && word.is_empty();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_wrapped_at_spaces_and_long_words_kept_whole() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(
            wrap("aaa https://x.example/long bb", 7),
            "aaa\nhttps://x.example/long\nbb"
        );
        assert_eq!(wrap("a  b\nc", 72), "a  b\nc");
        assert_eq!(wrap("1\u{a0}500\u{a0}000 kr", 8), "1\u{a0}500\u{a0}000\nkr");
        let summary = "Kommuner og fylkeskommuner kan søke om midler til «demensvennlige \
                       samfunn» – også i år, med frist i mars.";
        let wrapped = wrap(summary, TEXT_WIDTH);
        assert!(wrapped
            .lines()
            .all(|line| line.chars().count() <= TEXT_WIDTH));
        assert_eq!(wrapped.replace('\n', " "), summary);
    }

    #[test]
    fn tidy_text_has_single_blank_lines_and_one_final_break() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }
}
