//! Messages in the reader's language. Every message the user reads — diagnostics,
//! hints, progress, summaries, `--help` — is looked up by id in one Fluent file
//! per language (`locales/en/gongkai.ftl`, `locales/zh/gongkai.ftl`) with the
//! [`t!`](crate::t) macro. The language is English unless the command line says
//! `--lang zh` or the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) is Chinese; the
//! library speaks English until [`set_lang`] is called (tests read English).

pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::{LazyLock, OnceLock};

/// A language gongkai speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Chinese (simplified).
    Zh,
}

/// The English messages.
pub const EN: &str = include_str!("../locales/en/gongkai.ftl");
/// The Chinese messages.
pub const ZH: &str = include_str!("../locales/zh/gongkai.ftl");

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language for the rest of the process (once; later calls are ignored).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language messages are in.
pub fn lang() -> Lang {
    *LANG.get().unwrap_or(&Lang::En)
}

/// The language a command line and environment ask for: `--lang zh|en`, else a
/// Chinese locale in `LC_ALL`, `LC_MESSAGES` or `LANG` (the first one set).
pub fn lang_from(args: &[String], env: impl Fn(&str) -> Option<String>) -> Lang {
    let mut flag = None;
    for (i, a) in args.iter().enumerate() {
        let value = match a.strip_prefix("--lang=") {
            Some(v) => Some(v.to_string()),
            None if a == "--lang" => args.get(i + 1).cloned(),
            None => None,
        };
        if value.is_some() {
            flag = value;
        }
    }
    let chosen = flag.or_else(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| env(k).filter(|v| !v.is_empty()))
    });
    match chosen {
        Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

fn bundle(source: &'static str, tag: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errors)| panic!("{tag} messages do not parse: {errors:?}"));
    let mut bundle = FluentBundle::new_concurrent(vec![tag.parse().expect("language tag")]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{tag} messages repeat ids: {errors:?}"));
    bundle
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle(EN, "en"), bundle(ZH, "zh-CN")]);

/// The message `id` in the current language, with its arguments.
pub fn message(id: &str, args: &[(&str, FluentValue)]) -> String {
    let bundle = &BUNDLES[match lang() {
        Lang::En => 0,
        Lang::Zh => 1,
    }];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (k, v) in args {
        fluent_args.set(*k, v.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// The ids of the messages in a Fluent file.
pub fn message_ids(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    let mut ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

/// A message in the current language: `t!("id")`, or with arguments
/// `t!("id", name = value, …)` (values: strings or numbers).
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($key:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            &[$((stringify!($key), $crate::i18n::FluentValue::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_message() {
        let (en, zh) = (message_ids(EN), message_ids(ZH));
        let only_en: Vec<&String> = en.iter().filter(|i| !zh.contains(i)).collect();
        let only_zh: Vec<&String> = zh.iter().filter(|i| !en.contains(i)).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "only in en: {only_en:?}; only in zh: {only_zh:?}"
        );
        assert!(en.len() > 50);
    }

    #[test]
    fn every_message_the_code_uses_exists() {
        let ids = message_ids(EN);
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.unwrap();
            // This file shows the macro's use in its docs.
            if entry.path().extension().is_none_or(|e| e != "rs")
                || entry.path().ends_with("i18n.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (i, _) in text.match_indices("t!(\"") {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue; // format!(", print!(", …
                }
                let rest = &text[i + 4..];
                let id = &rest[..rest.find('"').unwrap()];
                if !ids.iter().any(|x| x == id) {
                    missing.push(format!("{}: {id}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn the_language_comes_from_the_flag_then_the_locale() {
        let env = |v: &'static str| move |k: &str| (k == "LANG").then(|| v.to_string());
        assert_eq!(lang_from(&[], env("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(lang_from(&[], env("en_US.UTF-8")), Lang::En);
        assert_eq!(
            lang_from(&["--lang".into(), "en".into()], env("zh_CN.UTF-8")),
            Lang::En
        );
        assert_eq!(lang_from(&["--lang=zh".into()], |_| None), Lang::Zh);
        assert_eq!(lang_from(&[], |_| None), Lang::En);
    }
}
