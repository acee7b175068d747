//! Chinese text analysis for the search index, and the site's vocabulary.
//!
//! Matching first folds the text — full-width → half-width, Latin lowercase,
//! traditional → simplified — one character for one character, and keep each
//! folded character's byte offset in the original so token offsets (and so
//! highlights) land on the right characters of the printed text.
//!
//! Every Han character and every Latin/digit word is a unit; units joined without
//! punctuation or space between form a run. A field is indexed under each unit,
//! and each two and three consecutive units of a run ([`gram_terms`]); a word
//! occurs in a field when the field holds its [`signature`]. So any substring is
//! found wherever a segmenter would cut the words (`农资` inside `惠农资金`), and
//! the browser's engine (`static/search-engine.js`) reads the same terms from the
//! static index, which needs no positions.

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
    let simplified = crate::text::to_simplified(&widened);
    let text = if simplified.chars().count() == origin.len() - 1 {
        simplified
    } else {
        widened
    };
    Folded { text, origin }
}

/// Folds text, keeping only the folded string.
pub fn fold_str(s: &str) -> String {
    fold(s).text
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
            || (c.is_alphanumeric() && !crate::text::is_han(c) && !is_cjk_symbol(c))
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

/// The index term of consecutive units of one run: the units joined, a Latin/digit
/// word followed by U+0001 (so that `12345` + `热` and `1234` + `5热` differ).
pub fn gram_term(units: &[GramUnit]) -> String {
    let mut out = String::new();
    for (i, u) in units.iter().enumerate() {
        out.push_str(&u.text);
        let single_han = u.text.chars().count() == 1 && u.text.chars().all(crate::text::is_han);
        if i + 1 < units.len() && !single_han {
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

/// Every term a field's folded text is indexed under: each unit, and each two and
/// three consecutive units of a run. Sorted, each once.
pub fn gram_terms(folded: &str) -> Vec<String> {
    let units = gram_units(folded);
    let mut terms: Vec<String> = Vec::with_capacity(units.len() * 3);
    for run in runs(&units) {
        for n in 1..=3 {
            terms.extend(run.windows(n).map(gram_term));
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The terms a field must hold for a folded word to occur in it: per run of the
/// word, the run itself when it has one or two units, else each three consecutive
/// units. Exact for runs of up to three units; a longer run must have every one
/// of its three-unit pieces in the field. Sorted, each once.
pub fn signature(folded: &str) -> Vec<String> {
    let units = gram_units(folded);
    let mut terms: Vec<String> = Vec::new();
    for run in runs(&units) {
        if run.len() <= 2 {
            terms.push(gram_term(run));
        } else {
            terms.extend(run.windows(3).map(gram_term));
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// One unit of folded text as the tokenizer sees it: where its characters are,
/// whether it is a single Han character, and the run it belongs to.
#[derive(Clone, Copy)]
struct UnitSpan {
    start: usize,
    end: usize,
    han: bool,
    run: usize,
}

/// The units of folded characters (as [`gram_units`] finds them).
fn unit_spans(chars: &[char], out: &mut Vec<UnitSpan>) {
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
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric()
            || (c.is_alphanumeric() && !crate::text::is_han(c) && !is_cjk_symbol(c))
        {
            word.get_or_insert(i);
            continue;
        }
        if let Some(start) = word.take() {
            push(out, start, i, false, &mut broken);
        }
        if crate::text::is_han(c) {
            push(out, i, i + 1, true, &mut broken);
        } else {
            broken = true;
        }
    }
    if let Some(start) = word.take() {
        push(out, start, chars.len(), false, &mut broken);
    }
}

/// The terms of a field, one at a time, in one reused token (see [`gram_terms`];
/// terms may repeat, which the index does not mind).
pub struct GramTokenStream {
    chars: Vec<char>,
    units: Vec<UnitSpan>,
    /// The unit the next term starts at, and its length in units (1 to 3).
    at: usize,
    length: usize,
    token: Token,
}

impl TokenStream for GramTokenStream {
    fn advance(&mut self) -> bool {
        while self.at < self.units.len() {
            let n = self.length;
            let last = self.at + n - 1;
            if n > 3 || last >= self.units.len() || self.units[last].run != self.units[self.at].run
            {
                self.at += 1;
                self.length = 1;
                continue;
            }
            self.length += 1;
            let text = &mut self.token.text;
            text.clear();
            for (k, u) in self.units[self.at..=last].iter().enumerate() {
                text.extend(&self.chars[u.start..u.end]);
                if k + 1 < n && !u.han {
                    text.push('\u{1}');
                }
            }
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// N-gram tokenizer (`zh_grams`) of text already folded by [`fold`]: units,
/// bigrams and trigrams.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramTokenStream {
        let chars: Vec<char> = text.chars().collect();
        let mut units = Vec::new();
        unit_spans(&chars, &mut units);
        GramTokenStream {
            chars,
            units,
            at: 0,
            length: 1,
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
    fn terms_are_units_bigrams_and_trigrams_within_runs() {
        let terms = gram_terms(&fold_str("惠農資金，12345熱線"));
        let mut expected: Vec<String> = [
            "12345",
            "12345\u{1}热",
            "12345\u{1}热线",
            "惠",
            "惠农",
            "惠农资",
            "农",
            "农资",
            "农资金",
            "热",
            "热线",
            "线",
            "资",
            "资金",
            "金",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        expected.sort();
        assert_eq!(terms, expected);
        // A word's signature: the run itself up to two units, else its trigrams.
        assert_eq!(signature("农资"), ["农资"]);
        assert_eq!(signature("惠农资金"), ["农资金", "惠农资"]);
        assert_eq!(signature("ipv6 支持"), ["ipv6", "支持"]);
        assert_eq!(signature("政"), ["政"]);
        // The tokenizer yields exactly these terms from the folded text.
        let folded = fold_str("惠農資金，12345熱線");
        let mut stream = GramTokenizer.token_stream(&folded);
        let mut streamed = Vec::new();
        while stream.advance() {
            streamed.push(stream.token().text.clone());
        }
        streamed.sort();
        streamed.dedup();
        assert_eq!(streamed, terms);
    }
}
