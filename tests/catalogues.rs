//! The message catalogues (`locales/`): bokmål and nynorsk say the same
//! things, every message the code asks for exists, and the nynorsk is
//! nynorsk, not bokmål under another name.

use std::collections::BTreeSet;
use std::path::Path;

use tavla::i18n::{keys_of, Lang};

fn catalogue(lang: &str, file: &str) -> String {
    std::fs::read_to_string(Path::new("locales").join(lang).join(file)).unwrap()
}

fn files(lang: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new("locales").join(lang))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_written_standards_have_the_same_messages() {
    assert_eq!(files("nb"), files("nn"));
    let mut all = BTreeSet::new();
    for file in files("nb") {
        let (nb, nn) = (
            keys_of(&catalogue("nb", &file)),
            keys_of(&catalogue("nn", &file)),
        );
        assert!(!nb.is_empty(), "{file}");
        assert_eq!(nb, nn, "{file}: the same keys, in the same order");
        for key in nb {
            assert!(all.insert(key.clone()), "{key} is in more than one place");
        }
    }
}

/// Every `.t("…")` and `.t_with("…", …)` of the code and templates.
fn keys_asked_for(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            keys_asked_for(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for call in [".t(\"", ".t_with(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if !key.contains('{') {
                    found.insert(key.to_owned());
                }
            }
        }
    }
}

#[test]
fn every_message_the_code_asks_for_is_in_both_catalogues() {
    let mut asked = BTreeSet::new();
    keys_asked_for(Path::new("src"), &mut asked);
    keys_asked_for(Path::new("templates"), &mut asked);
    assert!(asked.len() > 50, "{asked:?}");
    for lang in ["nb", "nn"] {
        let held: BTreeSet<String> = files(lang)
            .iter()
            .flat_map(|file| keys_of(&catalogue(lang, file)))
            .collect();
        let missing: Vec<&String> = asked.difference(&held).collect();
        assert!(missing.is_empty(), "not in locales/{lang}: {missing:?}");
    }
}

#[test]
fn the_nynorsk_is_nynorsk() {
    for (key, nb, nn) in [
        ("kind-grant", "Tilskudd", "Tilskot"),
        ("area-notices", "Kunngjøringer", "Kunngjeringar"),
        ("status-cancelled", "Avlyst", "Avlyst"),
        ("filter-area", "Område", "Område"),
        ("filter-search", "Søk", "Søk"),
        ("subscribe", "Abonner", "Abonner"),
    ] {
        assert_eq!(Lang::Nb.t(key), nb);
        assert_eq!(Lang::Nn.t(key), nn);
    }
    // No nynorsk message keeps a word that only bokmål has.
    let bokmål_only = [
        "ikke", "hvem", "hva", "hvor", "fra", "noe", "mye", "dere", "jeg", "ble", "nå", "følger",
        "være", "mer",
    ];
    let bokmål_stems = ["kunngjøring", "tilskudd", "beskriv"];
    for file in files("nn") {
        for line in catalogue("nn", &file)
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let Some((_, value)) = line.split_once(" = ") else {
                continue;
            };
            for word in value.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
                assert!(
                    !bokmål_only.contains(&word)
                        && !bokmål_stems.iter().any(|stem| word.starts_with(stem)),
                    "{file}: «{word}» in «{line}»"
                );
            }
        }
    }
}
