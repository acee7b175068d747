//! Chinese text analysis for the search index, and the site's vocabulary.
//!
//! Matching first folds the text — full-width → half-width, Latin lowercase,
//! traditional → simplified — one character for one character, and keep each
//! folded character's byte offset in the original so token offsets (and so
//! highlights) land on the right characters of the printed text.
//!
//! Every Han character and every Latin/digit word is a unit; units joined without
//! punctuation or space between form a run. A field is indexed, at each unit of a
//! run, under the three units that start there (fewer at the run's end:
//! [`gram_terms`]), one term per unit. A word occurs in a field when the field
//! holds its [`signature`]: each three consecutive units of a longer word, or a
//! term that starts with a word of one or two units (a prefix: the index of
//! `惠农资金` holds `惠农资`, `农资金`, `资金`, `金`, so `农资` and `农` are found
//! there). Terms are written so that no unit's text is a prefix of another's
//! (a Latin/digit word ends in U+0001), which makes the prefix exact. So any
//! substring is found wherever a segmenter would cut the words, and the browser's
//! engine (`static/search-engine.js`) reads the same terms from the static index,
//! which needs no positions.

use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the n-gram tokenizer is registered under.
pub const GRAMS: &str = "zh_grams";

pub use crate::text::JIEBA;

/// Loads the segmenter's dictionary now (it is otherwise loaded on first use).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Longest vocabulary word, in characters.
pub const MAX_WORD_CHARS: usize = 8;

/// The dictionary words (two to [`MAX_WORD_CHARS`] Han characters) that occur in a
/// folded text: the site's vocabulary is made of them, and query terms are cut
/// into words with it (see [`crate::search::terms`]).
pub fn vocabulary_words(folded: &str) -> Vec<String> {
    let mut words: Vec<String> = JIEBA
        .cut_all(folded)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| {
            let n = w.chars().count();
            (2..=MAX_WORD_CHARS).contains(&n) && w.chars().all(crate::text::is_han)
        })
        .map(str::to_string)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Folded text and, for each folded character, its byte offset in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the original byte offset of folded character `i`; one extra
    /// entry holds the original length.
    pub origin: Vec<usize>,
}

/// Folds one character: full-width forms to ASCII, then lowercase when that stays
/// one character.
fn fold_char(c: char) -> char {
    let c = crate::text::fold_fullwidth(c);
    // Most characters are Han or ASCII: no case table needed.
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if crate::text::is_han(c) {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Folds text for matching; see the module documentation.
pub fn fold(original: &str) -> Folded {
    let mut origin = Vec::with_capacity(original.len() / 2 + 1);
    let mut widened = String::with_capacity(original.len());
    for (i, c) in original.char_indices() {
        origin.push(i);
        widened.push(fold_char(c));
    }
    origin.push(original.len());
    let text = simplified(widened, origin.len() - 1);
    Folded { text, origin }
}

/// The widened text with traditional characters simplified, when that keeps its
/// `chars` characters (so offsets hold), else as it is.
fn simplified(widened: String, chars: usize) -> String {
    match crate::text::simplified_if_changed(&widened) {
        Some(simplified) if simplified.chars().count() == chars => simplified,
        _ => widened,
    }
}

/// Folds text, keeping only the folded string.
pub fn fold_str(s: &str) -> String {
    let mut chars = 0;
    let widened: String = s.chars().inspect(|_| chars += 1).map(fold_char).collect();
    simplified(widened, chars)
}

/// One n-gram unit: a Han character or a Latin/digit word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GramUnit {
    /// The folded unit.
    pub text: String,
    /// First folded character index.
    pub start: usize,
    /// One past the last folded character index.
    pub end: usize,
    /// Index position: consecutive within a run, a gap of one between runs.
    pub position: usize,
    /// True when the next unit follows without a break.
    pub joined_to_next: bool,
}

/// Splits folded text into n-gram units.
pub fn gram_units(folded: &str) -> Vec<GramUnit> {
    let mut units: Vec<GramUnit> = Vec::new();
    let mut position = 0usize;
    let mut broken = false;
    let mut word: Option<(usize, String)> = None;
    let mut push =
        |units: &mut Vec<GramUnit>, text: String, start: usize, end: usize, broken: &mut bool| {
            if let Some(last) = units.last_mut() {
                last.joined_to_next = !*broken;
                position += if *broken { 2 } else { 1 };
            }
            units.push(GramUnit {
                text,
                start,
                end,
                position,
                joined_to_next: false,
            });
            *broken = false;
        };
    let chars: Vec<char> = folded.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric()
            || (!crate::text::is_han(c) && !is_cjk_symbol(c) && c.is_alphanumeric())
        {
            word.get_or_insert_with(|| (i, String::new())).1.push(c);
            continue;
        }
        if let Some((start, text)) = word.take() {
            push(&mut units, text, start, i, &mut broken);
        }
        if crate::text::is_han(c) {
            push(&mut units, c.to_string(), i, i + 1, &mut broken);
        } else {
            broken = true;
        }
    }
    if let Some((start, text)) = word.take() {
        push(&mut units, text, start, chars.len(), &mut broken);
    }
    units
}

/// Kana, Hangul and other scripts count as words; CJK punctuation does not reach here.
fn is_cjk_symbol(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// The index term of consecutive units of one run: the units joined, each
/// Latin/digit word followed by U+0001 (so that `12345` + `热` and `1234` + `5热`
/// differ, and `ipv6` is not a prefix of `ipv66`).
pub fn gram_term(units: &[GramUnit]) -> String {
    let mut out = String::new();
    for u in units {
        out.push_str(&u.text);
        let single_han = u.text.chars().count() == 1 && u.text.chars().all(crate::text::is_han);
        if !single_han {
            out.push('\u{1}');
        }
    }
    out
}

/// The runs of units (units joined without a break), as slices.
pub fn runs(units: &[GramUnit]) -> Vec<&[GramUnit]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, u) in units.iter().enumerate() {
        if !u.joined_to_next {
            out.push(&units[start..=i]);
            start = i + 1;
        }
    }
    out
}

/// Units in an index term, at most.
pub const GRAM_UNITS: usize = 3;

/// Every term a field's folded text is indexed under: at each unit of a run, the
/// [`GRAM_UNITS`] units that start there, or as many as the run has left. Sorted,
/// each once.
pub fn gram_terms(folded: &str) -> Vec<String> {
    let units = gram_units(folded);
    let mut terms: Vec<String> = Vec::with_capacity(units.len());
    for run in runs(&units) {
        terms.extend((0..run.len()).map(|i| gram_term(&run[i..run.len().min(i + GRAM_UNITS)])));
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// One term of a [`signature`]: a field holds it when its index has this term,
/// or, for a prefix, any term that starts with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SignatureTerm {
    /// The term's text, as [`gram_term`] writes it.
    pub text: String,
    /// True for a run of fewer than [`GRAM_UNITS`] units: any term it begins.
    pub prefix: bool,
}

impl SignatureTerm {
    /// Whether a field indexed under `terms` (as [`gram_terms`] makes them,
    /// sorted) holds this term.
    pub fn found_in(&self, terms: &std::collections::BTreeSet<String>) -> bool {
        if self.prefix {
            terms
                .range::<str, _>((
                    std::ops::Bound::Included(self.text.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .next()
                .is_some_and(|t| t.starts_with(&self.text))
        } else {
            terms.contains(&self.text)
        }
    }

    /// The first text after every term this prefix begins (its last character
    /// moved on by one), for a range of the term dictionary.
    pub fn prefix_end(&self) -> String {
        let mut end = self.text.clone();
        let last = end.pop().map_or(0, u32::from);
        // Terms end in a Han character or U+0001, never next to the surrogates or
        // at the last code point; the fallback keeps the range empty-safe anyway.
        let next = (last + 1..=u32::from(char::MAX))
            .find_map(char::from_u32)
            .unwrap_or(char::MAX);
        end.push(next);
        end
    }
}

/// The terms a field must hold for a folded word to occur in it: per run of the
/// word, each [`GRAM_UNITS`] consecutive units when it has as many, else the run
/// as a prefix. Exact for runs of up to three units; a longer run must have every
/// one of its three-unit pieces in the field. Sorted, each once.
pub fn signature(folded: &str) -> Vec<SignatureTerm> {
    let units = gram_units(folded);
    let mut terms: Vec<SignatureTerm> = Vec::new();
    for run in runs(&units) {
        if run.len() < GRAM_UNITS {
            terms.push(SignatureTerm {
                text: gram_term(run),
                prefix: true,
            });
        } else {
            terms.extend(run.windows(GRAM_UNITS).map(|w| SignatureTerm {
                text: gram_term(w),
                prefix: false,
            }));
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// One unit of folded text as the tokenizer sees it: where its bytes are,
/// whether it is a single Han character, and the run it belongs to.
#[derive(Clone, Copy)]
struct UnitSpan {
    start: usize,
    end: usize,
    han: bool,
    run: usize,
}

/// The units of folded text (as [`gram_units`] finds them).
fn unit_spans(text: &str, out: &mut Vec<UnitSpan>) {
    out.clear();
    let mut run = 0;
    let mut broken = false;
    let mut word: Option<usize> = None;
    let mut push = |out: &mut Vec<UnitSpan>, start, end, han, broken: &mut bool| {
        if *broken && !out.is_empty() {
            run += 1;
        }
        *broken = false;
        out.push(UnitSpan {
            start,
            end,
            han,
            run,
        });
    };
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphanumeric()
            || (!crate::text::is_han(c) && !is_cjk_symbol(c) && c.is_alphanumeric())
        {
            word.get_or_insert(i);
            continue;
        }
        if let Some(start) = word.take() {
            push(out, start, i, false, &mut broken);
        }
        if crate::text::is_han(c) {
            push(out, i, i + c.len_utf8(), true, &mut broken);
        } else {
            broken = true;
        }
    }
    if let Some(start) = word.take() {
        push(out, start, text.len(), false, &mut broken);
    }
}

/// The terms of a field, one at a time, in one reused token (see [`gram_terms`];
/// terms may repeat, which the index does not mind).
pub struct GramTokenStream<'a> {
    text: &'a str,
    units: Vec<UnitSpan>,
    /// The unit the next term starts at.
    at: usize,
    token: Token,
}

impl TokenStream for GramTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(first) = self.units.get(self.at) else {
            return false;
        };
        let run = first.run;
        let end = (self.at + GRAM_UNITS).min(self.units.len());
        let text = &mut self.token.text;
        text.clear();
        for u in self.units[self.at..end].iter().take_while(|u| u.run == run) {
            text.push_str(&self.text[u.start..u.end]);
            if !u.han {
                text.push('\u{1}');
            }
        }
        self.at += 1;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// N-gram tokenizer (`zh_grams`) of text already folded by [`fold`]: at each unit,
/// the trigram that starts there (shorter at a run's end).
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramTokenStream<'a> {
        let mut units = Vec::new();
        unit_spans(text, &mut units);
        GramTokenStream {
            text,
            units,
            at: 0,
            token: Token {
                position: usize::MAX,
                ..Token::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_offsets_on_traditional_and_fullwidth_text() {
        let original = "落實ＩＰｖ６與１２３４５熱線";
        let f = fold(original);
        assert_eq!(f.text, "落实ipv6与12345热线");
        assert_eq!(f.origin.len(), f.text.chars().count() + 1);
        // The folded 热 maps back to the original 熱.
        let i = f.text.chars().position(|c| c == '热').unwrap();
        assert_eq!(&original[f.origin[i]..f.origin[i + 1]], "熱");
    }

    #[test]
    fn each_unit_is_indexed_under_the_trigram_it_starts() {
        let terms = gram_terms(&fold_str("惠農資金，12345熱線"));
        let mut expected: Vec<String> = [
            "12345\u{1}热线",
            "惠农资",
            "农资金",
            "热线",
            "线",
            "资金",
            "金",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        expected.sort();
        assert_eq!(terms, expected);
        // A word's signature: its trigrams, or the run (up to two units) as a prefix.
        let sig = |w: &str| -> Vec<(String, bool)> {
            signature(w)
                .into_iter()
                .map(|t| (t.text, t.prefix))
                .collect()
        };
        let owned = |t: &[(&str, bool)]| -> Vec<(String, bool)> {
            t.iter().map(|(s, p)| (s.to_string(), *p)).collect()
        };
        assert_eq!(sig("农资"), owned(&[("农资", true)]));
        assert_eq!(
            sig("惠农资金"),
            owned(&[("农资金", false), ("惠农资", false)])
        );
        assert_eq!(
            sig("ipv6 支持"),
            owned(&[("ipv6\u{1}", true), ("支持", true)])
        );
        assert_eq!(sig("政"), owned(&[("政", true)]));
        // A prefix is found where a term starts with it, and only at a unit's end.
        let index: std::collections::BTreeSet<String> = terms.iter().cloned().collect();
        let found = |w: &str| signature(w).iter().all(|t| t.found_in(&index));
        assert!(found("农资") && found("农") && found("金") && found("惠农资金"));
        assert!(found("12345") && found("12345热") && found("热"));
        assert!(!found("1234") && !found("资农") && !found("农资金惠") && !found("热线金"));
        let prefix = &signature("12345")[0];
        assert_eq!(prefix.prefix_end(), "12345\u{2}");
        assert_eq!(
            signature("农")[0].prefix_end(),
            "农"
                .chars()
                .map(|c| char::from_u32(c as u32 + 1).unwrap())
                .collect::<String>()
        );
        // The tokenizer yields exactly these terms from the folded text.
        let folded = fold_str("惠農資金，12345熱線");
        let mut tokenizer = GramTokenizer;
        let mut stream = tokenizer.token_stream(&folded);
        let mut streamed = Vec::new();
        while stream.advance() {
            streamed.push(stream.token().text.clone());
        }
        streamed.sort();
        streamed.dedup();
        assert_eq!(streamed, terms);
    }
}
