//! URL slugs from Norwegian titles.

/// Lowercase ASCII words joined by dashes: æ→ae, ø→o, å→a, other letters
/// transliterated, everything else a separator. Never empty.
pub fn slugify(title: &str) -> String {
    let mut ascii = String::with_capacity(title.len());
    for ch in title.chars() {
        match ch {
            'æ' | 'Æ' => ascii.push_str("ae"),
            'ø' | 'Ø' => ascii.push('o'),
            'å' | 'Å' => ascii.push('a'),
            other => ascii.push_str(deunicode::deunicode_char(other).unwrap_or(" ")),
        }
    }
    let mut slug = String::with_capacity(ascii.len());
    for word in ascii
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    const MAX_LEN: usize = 80;
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("notice");
    }
    // A slug must never read as an id: `/notices/{id-or-slug}` tries ids first.
    if uuid::Uuid::try_parse(&slug).is_ok() {
        slug.insert_str(0, "notice-");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn norwegian_letters_follow_the_house_rule() {
        assert_eq!(slugify("Øve på TISK"), "ove-pa-tisk");
        assert_eq!(slugify("Blåbærsyltetøy"), "blabaersyltetoy");
        assert_eq!(
            slugify("Smittevern for helsevirksomheter med én-til-én kontakt"),
            "smittevern-for-helsevirksomheter-med-en-til-en-kontakt"
        );
    }

    #[test]
    fn punctuation_and_symbols_become_single_dashes() {
        assert_eq!(slugify("  IPLOS/KPR opplæring!! "), "iplos-kpr-opplaering");
        assert_eq!(slugify("«Sitat» – 2020"), "sitat-2020");
    }

    #[test]
    fn a_title_without_letters_still_gets_a_slug() {
        assert_eq!(slugify("]]> <> !!"), "notice");
    }

    #[test]
    fn a_title_that_reads_as_an_id_gets_a_slug_that_does_not() {
        let id = "0b9c5f3e-8d2a-4c1b-9e7f-123456789abc";
        assert_eq!(slugify(id), format!("notice-{id}"));
        assert_eq!(
            slugify("0b9c5f3e8d2a4c1b9e7f123456789abc"),
            "notice-0b9c5f3e8d2a4c1b9e7f123456789abc"
        );
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let slug = slugify(&"ord ".repeat(60));
        assert!(slug.len() <= 80);
        assert!(slug.ends_with("ord"));
    }
}
