//! Chinese text analysis for the search index, as tantivy tokenizers.
//!
//! Both tokenizers first fold the text — full-width → half-width, Latin lowercase,
//! traditional → simplified — one character for one character, and keep each
//! folded character's byte offset in the original so token offsets (and so
//! highlights) land on the right characters of the printed text.
//!
//! - [`WordTokenizer`] (`zh_words`): jieba-rs search-mode segmentation, for ranking
//!   whole-word matches. Overlapping tokens are sorted and positioned by their first
//!   character, so positions never go backwards.
//! - [`GramTokenizer`] (`zh_grams`): every Han character and every Latin/digit word
//!   is a unit; each unit is indexed joined with the next unit of the same run (no
//!   punctuation or space between), and alone at the end of its run. A phrase of
//!   bigrams then finds any contiguous substring of two or more units, wherever
//!   jieba cut the words; the bigrams that begin with a unit form one range of the
//!   term dictionary (see [`unit_range`]), which finds a single unit anywhere.

use jieba_rs::TokenizeMode;
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the word tokenizer is registered under.
pub const WORDS: &str = "zh_words";
/// The name the n-gram tokenizer is registered under.
pub const GRAMS: &str = "zh_grams";

pub use crate::text::JIEBA;

/// Loads the segmenter's dictionary now (it is otherwise loaded on first use).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
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

/// The n-gram tokens of a text (offsets in the original).
pub fn gram_tokens(original: &str) -> Vec<Token> {
    gram_tokens_of(&fold(original))
}

/// The n-gram tokens of already folded text.
pub fn gram_tokens_of(folded: &Folded) -> Vec<Token> {
    let units = gram_units(&folded.text);
    let mut tokens = Vec::with_capacity(units.len() * 2);
    for (i, u) in units.iter().enumerate() {
        if u.joined_to_next {
            let next = &units[i + 1];
            tokens.push(Token {
                offset_from: folded.origin[u.start],
                offset_to: folded.origin[next.end],
                position: u.position,
                text: bigram(&u.text, &next.text),
                position_length: 1,
            });
        } else {
            tokens.push(Token {
                offset_from: folded.origin[u.start],
                offset_to: folded.origin[u.end],
                position: u.position,
                text: u.text.clone(),
                position_length: 1,
            });
        }
    }
    tokens
}

/// The term of two adjacent units. A Latin/digit word is followed by U+0001, so that
/// `12345` + `热` and `1234` + `5热` differ and [`unit_range`] is exact.
pub fn bigram(first: &str, second: &str) -> String {
    if first.chars().count() == 1 && first.chars().all(crate::text::is_han) {
        format!("{first}{second}")
    } else {
        format!("{first}\u{1}{second}")
    }
}

/// The half-open range of gram terms that begin with `unit`: its bigrams, and the
/// unit alone where it ends a run.
pub fn unit_range(unit: &str) -> (String, String) {
    let mut chars = unit.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if crate::text::is_han(c) => {
            let next = char::from_u32(c as u32 + 1).unwrap_or(c);
            (unit.to_string(), next.to_string())
        }
        _ => (unit.to_string(), format!("{unit}\u{2}")),
    }
}

/// The word tokens of a text (jieba search mode, offsets in the original).
pub fn word_tokens(original: &str) -> Vec<Token> {
    word_tokens_of(&fold(original))
}

/// The word tokens of already folded text.
pub fn word_tokens_of(folded: &Folded) -> Vec<Token> {
    let mut words: Vec<(usize, usize, &str)> = JIEBA
        .tokenize(&folded.text, TokenizeMode::Search, false)
        .into_iter()
        .filter(|t| t.word.chars().all(char::is_alphanumeric))
        .map(|t| (t.start, t.end, t.word))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
        .into_iter()
        .map(|(start, end, word)| Token {
            offset_from: folded.origin[start],
            offset_to: folded.origin[end],
            position: start,
            text: word.to_string(),
            position_length: 1,
        })
        .collect()
}

/// A token stream over precomputed tokens.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// jieba word tokenizer with folding (`zh_words`).
#[derive(Clone, Default)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: word_tokens(text),
            next: 0,
        }
    }
}

/// N-gram tokenizer with folding (`zh_grams`): bigrams, and unigrams at run ends.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: gram_tokens(text),
            next: 0,
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
    fn grams_cover_substrings_across_word_boundaries() {
        let tokens = gram_tokens("惠農資金，12345熱線");
        let texts: Vec<(&str, usize)> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(
            texts,
            [
                ("惠农", 0),
                ("农资", 1),
                ("资金", 2),
                ("金", 3),
                ("12345\u{1}热", 5),
                ("热线", 6),
                ("线", 7)
            ]
        );
        assert_eq!(unit_range("疫"), ("疫".to_string(), "疬".to_string()));
        assert_eq!(
            unit_range("12345"),
            ("12345".to_string(), "12345\u{2}".to_string())
        );
        let t = tokens.iter().find(|t| t.text == "农资").unwrap();
        assert_eq!(&"惠農資金，12345熱線"[t.offset_from..t.offset_to], "農資");
    }

    #[test]
    fn word_positions_never_go_backwards() {
        let tokens = word_tokens("中华人民共和国政府信息公开条例");
        assert!(tokens.windows(2).all(|w| w[0].position <= w[1].position));
        assert!(tokens.iter().any(|t| t.text == "信息"));
        assert!(tokens.iter().any(|t| t.text == "公开"));
    }
}
