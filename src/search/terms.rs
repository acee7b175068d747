//! Query text → terms: white space separates terms, quotes keep a phrase; each
//! unquoted term is cut into the words that must each occur, with the site's
//! [`Vocabulary`] (see [`Vocabulary::words`]). The browser's engine
//! (`static/search-engine.js`) implements the same steps; keep them equal.

use super::analyzer::{GramUnit, MAX_WORD_CHARS, fold_str, gram_units, runs};
use std::collections::HashSet;

/// Longest query, in characters; longer queries are cut and the response says so.
pub const MAX_QUERY_CHARS: usize = 200;

/// One query term: its folded text, n-gram units and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// Folded text of the term.
    pub folded: String,
    /// Its n-gram units (positions relative to the term).
    pub units: Vec<GramUnit>,
    /// True for a quoted phrase.
    pub quoted: bool,
    /// The folded words that must each occur (the whole term when quoted).
    pub words: Vec<String>,
}

impl QueryTerm {
    fn new(text: &str, quoted: bool, vocabulary: &Vocabulary) -> Option<QueryTerm> {
        let folded = fold_str(text.trim());
        let units = gram_units(&folded);
        if units.is_empty() {
            return None;
        }
        let mut words = if quoted {
            vec![folded.clone()]
        } else {
            vocabulary.words(&folded)
        };
        words.dedup();
        Some(QueryTerm {
            folded,
            units,
            quoted,
            words,
        })
    }

    /// What to highlight: the term's contiguous runs, and its words.
    pub fn highlights(&self) -> Vec<String> {
        let mut out = self.runs();
        if !self.quoted {
            out.extend(self.words.iter().flat_map(|w| gram_runs(w)));
        }
        out
    }

    /// The contiguous runs of the term, as folded strings.
    pub fn runs(&self) -> Vec<String> {
        gram_runs(&self.folded)
    }
}

/// The site's vocabulary: the dictionary words that occur in its text (folded).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
}

/// A piece of a term's run: a vocabulary word, a Latin/digit word, or one Han
/// character that is no word of the vocabulary.
enum Piece {
    Word(String),
    Single(String),
}

impl Vocabulary {
    /// A vocabulary of these words.
    pub fn new(words: impl IntoIterator<Item = String>) -> Vocabulary {
        Vocabulary {
            words: words.into_iter().collect(),
        }
    }

    /// The words that must each occur for an unquoted term to match. Each run of
    /// the term (no punctuation or space inside) is cut into the fewest pieces —
    /// vocabulary words of two or more Han characters, Latin/digit words, single
    /// Han characters — preferring the longest first piece among equals. Single
    /// characters are then glued to the word that follows them in the run (to the
    /// one before at its end; standing together alone when the run has no word),
    /// so `市财政局` needs `市财政局` somewhere, not any `市`.
    pub fn words(&self, folded: &str) -> Vec<String> {
        let units = gram_units(folded);
        let mut words = Vec::new();
        for run in runs(&units) {
            let mut glue = String::new();
            let mut word_in_run = false;
            for piece in self.pieces(run) {
                match piece {
                    Piece::Single(c) => glue.push_str(&c),
                    Piece::Word(w) => {
                        words.push(format!("{}{w}", std::mem::take(&mut glue)));
                        word_in_run = true;
                    }
                }
            }
            match words.last_mut() {
                _ if glue.is_empty() => {}
                Some(last) if word_in_run => last.push_str(&glue),
                _ => words.push(glue),
            }
        }
        words
    }

    /// The fewest pieces of one run, the longest first piece among equals.
    fn pieces(&self, run: &[GramUnit]) -> Vec<Piece> {
        let n = run.len();
        let is_han =
            |u: &GramUnit| u.text.chars().count() == 1 && u.text.chars().all(crate::text::is_han);
        // best[i]: (pieces for run[i..], length of the first piece).
        let mut best: Vec<(usize, usize)> = vec![(0, 0); n + 1];
        for i in (0..n).rev() {
            let mut choice = (best[i + 1].0 + 1, 1);
            let longest = MAX_WORD_CHARS.min(n - i);
            for len in (2..=longest).rev() {
                let span = &run[i..i + len];
                if !span.iter().all(is_han) {
                    continue;
                }
                let word: String = span.iter().map(|u| u.text.as_str()).collect();
                if self.words.contains(&word) && best[i + len].0 + 1 < choice.0 {
                    choice = (best[i + len].0 + 1, len);
                }
            }
            best[i] = choice;
        }
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < n {
            let len = best[i].1;
            let text: String = run[i..i + len].iter().map(|u| u.text.as_str()).collect();
            pieces.push(if len == 1 && is_han(&run[i]) {
                Piece::Single(text)
            } else {
                Piece::Word(text)
            });
            i += len;
        }
        pieces
    }
}

/// The contiguous runs (no punctuation or space inside) of folded text.
fn gram_runs(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    let mut runs = Vec::new();
    let mut start = None;
    for u in gram_units(folded) {
        let s = *start.get_or_insert(u.start);
        if !u.joined_to_next {
            runs.push(chars[s..u.end].iter().collect());
            start = None;
        }
    }
    runs
}

/// Splits user text into terms. Returns the terms and whether the text was cut.
pub fn parse_terms(raw: &str, vocabulary: &Vocabulary) -> (Vec<QueryTerm>, String, bool) {
    let truncated = raw.chars().count() > MAX_QUERY_CHARS;
    let text: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut in_phrase = false;
    for c in text.chars() {
        match c {
            '"' | '“' | '”' | '「' | '」' => {
                if !current.trim().is_empty() {
                    pieces.push((std::mem::take(&mut current), in_phrase));
                }
                current.clear();
                in_phrase = !in_phrase;
            }
            c if c.is_whitespace() && !in_phrase => {
                if !current.is_empty() {
                    pieces.push((std::mem::take(&mut current), false));
                }
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        pieces.push((current, in_phrase));
    }
    let mut terms: Vec<QueryTerm> = Vec::new();
    for (p, quoted) in pieces {
        if let Some(term) = QueryTerm::new(&p, quoted, vocabulary)
            && !terms.contains(&term)
        {
            terms.push(term);
        }
    }
    (terms, text.trim().to_string(), truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(
            [
                "预算",
                "公开",
                "市政府",
                "政府",
                "市政",
                "办公室",
                "办公",
                "财政局",
                "财政",
                "信息",
            ]
            .map(String::from),
        )
    }

    #[test]
    fn terms_split_on_space_and_keep_quoted_phrases() {
        let (terms, _, truncated) = parse_terms("  预算公开  \"IPv6 支持\" 財政 ", &vocabulary());
        let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(folded, ["预算公开", "ipv6 支持", "财政"]);
        assert!(!truncated);
        assert_eq!(terms[0].words, ["预算", "公开"]);
        assert!(terms[1].quoted);
        assert_eq!(terms[1].runs(), ["ipv6", "支持"]);
        assert_eq!(terms[1].words, ["ipv6 支持"]);
    }

    #[test]
    fn syntax_characters_and_emoji_are_not_terms() {
        let (terms, _, _) = parse_terms(": ( ) * ^ ~ [ ] { } \\ + - ! 😀", &vocabulary());
        assert!(terms.is_empty());
        let (terms, _, _) = parse_terms("财政+预算", &vocabulary());
        assert_eq!(terms[0].runs(), ["财政", "预算"]);
        let (terms, _, _) = parse_terms("\"未闭合 引号", &vocabulary());
        assert_eq!(terms[0].folded, "未闭合 引号");
    }

    #[test]
    fn long_queries_are_cut() {
        let (_, text, truncated) = parse_terms(&"政".repeat(10_000), &vocabulary());
        assert!(truncated);
        assert_eq!(text.chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn fewest_pieces_then_single_characters_glued() {
        let v = vocabulary();
        assert_eq!(v.words("市政府办公室"), ["市政府", "办公室"]);
        assert_eq!(v.words("市财政局"), ["市财政局"]);
        assert_eq!(v.words("政府信息公开"), ["政府", "信息", "公开"]);
        assert_eq!(
            v.words("农资"),
            ["农资"],
            "no word: the characters together"
        );
        assert_eq!(
            v.words("公开了"),
            ["公开了"],
            "a trailing character joins the word before"
        );
        assert_eq!(v.words("5g信息"), ["5g", "信息"]);
        assert_eq!(v.words("信息，公开"), ["信息", "公开"]);
        assert_eq!(v.words("信息，农"), ["信息", "农"]);
    }
}
