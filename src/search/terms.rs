//! Query text → terms: white space separates terms, quotes keep a phrase; each
//! unquoted term is cut into the words that must each occur (see [`term_words`]).

use super::analyzer::{GramUnit, JIEBA, fold_str, gram_units};

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
    fn new(text: &str, quoted: bool) -> Option<QueryTerm> {
        let folded = fold_str(text.trim());
        let units = gram_units(&folded);
        if units.is_empty() {
            return None;
        }
        let mut words = if quoted {
            vec![folded.clone()]
        } else {
            term_words(&folded)
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

/// The words of an unquoted term: jieba's precise cut, where a one-character word
/// is glued to the word that follows it (to the one before it at the end), so
/// `市财政局` needs `市财政局` and not any `市` anywhere. Punctuation separates.
pub fn term_words(folded: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut glue = String::new();
    let mut glued_last = false;
    for token in JIEBA.cut(folded, false) {
        let word = token.word;
        if gram_units(word).is_empty() {
            // Punctuation or space: whatever was waiting stands alone.
            words.extend((!glue.is_empty()).then(|| std::mem::take(&mut glue)));
            glued_last = false;
            continue;
        }
        if word.chars().count() == 1 && !word.chars().all(|c| c.is_ascii_alphanumeric()) {
            glue.push_str(word);
            continue;
        }
        words.push(format!("{}{word}", std::mem::take(&mut glue)));
        glued_last = true;
    }
    if !glue.is_empty() {
        match words.last_mut() {
            Some(last) if glued_last => last.push_str(&glue),
            _ => words.push(glue),
        }
    }
    words
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
pub fn parse_terms(raw: &str) -> (Vec<QueryTerm>, String, bool) {
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
        if let Some(term) = QueryTerm::new(&p, quoted)
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

    #[test]
    fn terms_split_on_space_and_keep_quoted_phrases() {
        let (terms, _, truncated) = parse_terms("  预算公开  \"IPv6 支持\" 財政 ");
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
        let (terms, _, _) = parse_terms(": ( ) * ^ ~ [ ] { } \\ + - ! 😀");
        assert!(terms.is_empty());
        let (terms, _, _) = parse_terms("财政+预算");
        assert_eq!(terms[0].runs(), ["财政", "预算"]);
        let (terms, _, _) = parse_terms("\"未闭合 引号");
        assert_eq!(terms[0].folded, "未闭合 引号");
    }

    #[test]
    fn long_queries_are_cut() {
        let (_, text, truncated) = parse_terms(&"政".repeat(10_000));
        assert!(truncated);
        assert_eq!(text.chars().count(), MAX_QUERY_CHARS);
    }
}
