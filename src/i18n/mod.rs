//! The words readers and editors see, from the message catalogues in
//! `locales/`: one per written standard, bokmål (`nb`) and nynorsk (`nn`),
//! in Project Fluent's format, read into the binary when it is built.
//! `tests/catalogues.rs` checks that both have the same messages.

mod invalid;

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::LanguageIdentifier;

use crate::domain::{Kind, Language, Status};

fluent_templates::static_loader! {
    static CATALOGUES = {
        locales: "./locales",
        fallback_language: "nb",
        // Plain text around arguments: no Unicode isolation marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A written standard of Norwegian that pages and messages are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// Bokmål, at `/…`.
    #[default]
    Nb,
    /// Nynorsk, at `/nn/…`.
    Nn,
}

static NB: LazyLock<LanguageIdentifier> = LazyLock::new(|| "nb".parse().expect("a language tag"));
static NN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "nn".parse().expect("a language tag"));

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nb, Lang::Nn];

    /// The BCP 47 tag, as in `<html lang>` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
        }
    }

    /// The path prefix of its pages: none for bokmål, `/nn` for nynorsk.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Nb => "",
            Lang::Nn => "/nn",
        }
    }

    /// The other written standard, for a page's language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nb => Lang::Nn,
            Lang::Nn => Lang::Nb,
        }
    }

    /// `nb` or `nn`; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The written standard to say things about a notice in `language`:
    /// nynorsk for nynorsk, bokmål for the rest.
    pub fn of(language: Language) -> Lang {
        match language {
            Language::Nn => Lang::Nn,
            Language::Nb | Language::Se | Language::En => Lang::Nb,
        }
    }

    /// The language of a page at `path`: nynorsk under `/nn/`.
    pub fn of_path(path: &str) -> Lang {
        match path == "/nn" || path.starts_with("/nn/") {
            true => Lang::Nn,
            false => Lang::Nb,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Nb => &NB,
            Lang::Nn => &NN,
        }
    }

    /// The message `key`.
    pub fn t(self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The message `key` with its arguments, each given as text.
    pub fn t_with(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args = args
            .iter()
            .map(|(name, value)| {
                (
                    std::borrow::Cow::Borrowed(*name),
                    FluentValue::from(value.clone()),
                )
            })
            .collect::<HashMap<_, _>>();
        self.lookup(key, Some(&args))
    }

    fn lookup(
        self,
        key: &str,
        args: Option<&HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>>>,
    ) -> String {
        // This language alone: a message missing from one catalogue must not
        // quietly show the other's words.
        match CATALOGUES.lookup_single_language(self.id(), key, args) {
            Ok(text) => text,
            Err(e) => {
                if cfg!(debug_assertions) {
                    panic!("message {key} in {}: {e}", self.code());
                }
                tracing::error!(key, lang = self.code(), error = %e, "a message is missing");
                key.to_owned()
            }
        }
    }

    /// A kind's name: «Tilskudd», «Tilskot».
    pub fn kind(self, kind: Kind) -> String {
        self.t(match kind {
            Kind::Grant => "kind-grant",
            Kind::Webinar => "kind-webinar",
            Kind::News => "kind-news",
        })
    }

    /// A status's name: «Åpen», «Open».
    pub fn status(self, status: Status) -> String {
        self.t(match status {
            Status::Open => "status-open",
            Status::Closed => "status-closed",
            Status::Upcoming => "status-upcoming",
            Status::Past => "status-past",
            Status::Cancelled => "status-cancelled",
        })
    }
}

/// Every message key of a catalogue file's text, in order: for the test that
/// both catalogues say the same things.
pub fn keys_of(catalogue: &str) -> Vec<String> {
    catalogue
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" ="))
        .map(|(key, _)| key.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_in_each_written_standard_with_their_arguments() {
        assert_eq!(Lang::Nb.kind(Kind::Grant), "Tilskudd");
        assert_eq!(Lang::Nn.kind(Kind::Grant), "Tilskot");
        assert_eq!(
            Lang::Nn.t_with("fact-amount", &[("amount", "1 500 000".into())]),
            "Beløp: 1 500 000 kr",
            "no isolation marks around the argument"
        );
        assert_eq!(Lang::of_path("/nn/notices/x"), Lang::Nn);
        assert_eq!(Lang::of_path("/nnotices"), Lang::Nb);
    }
}
