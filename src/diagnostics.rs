//! Problems found in the input, with the place they occur (file, byte span), what
//! was expected and how to fix it; rendered as `file:line:column` reports.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// Suspicious content; the build goes on.
    Warning,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as shown to the user (relative to the site root), if any.
    pub path: Option<PathBuf>,
    /// Byte range in that file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place in a file.
    pub fn error(path: &Path, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: Some(path.to_path_buf()),
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a place in a file.
    pub fn warning(path: &Path, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, span, message)
        }
    }

    /// An error tied to no file (a missing directory, an I/O failure).
    pub fn global(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: None,
            span: 0..0,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Renders diagnostics as text, `file:line:column` with the source line underlined.
/// `sources` maps each diagnostic path to that file's text.
pub fn render(diags: &[Diagnostic], sources: &BTreeMap<PathBuf, String>) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        let mut one = String::new();
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(severity).with_message(&d.message);
        if let Some(hint) = &d.hint {
            cs = cs.with_notes(vec![crate::t!("diag-hint", hint = hint.as_str())]);
        }
        let file = d.path.as_ref().and_then(|p| {
            let text = sources.get(p)?;
            Some(
                *ids.entry(p.clone())
                    .or_insert_with(|| files.add(p.display().to_string(), text.clone())),
            )
        });
        match file {
            Some(id) => {
                let text = &sources[d.path.as_ref().expect("file id implies a path")];
                let span = clamp(&d.span, text);
                cs = cs.with_labels(vec![Label::primary(id, span)]);
                term::emit_to_string(&mut one, &config, &files, &cs).ok();
            }
            None => {
                let with_path = match &d.path {
                    Some(p) => format!("{}: {}", p.display(), d.message),
                    None => d.message.clone(),
                };
                let cs = CsDiagnostic::<usize>::new(severity)
                    .with_message(with_path)
                    .with_notes(cs.notes);
                term::emit_to_string(
                    &mut one,
                    &config,
                    &SimpleFiles::<String, String>::new(),
                    &cs,
                )
                .ok();
            }
        }
        out.push_str(&in_reader_language(&one, d.severity));
    }
    out
}

/// A rendered diagnostic with its leading `error`/`warning` in the reader's language.
fn in_reader_language(rendered: &str, severity: Severity) -> String {
    let (word, id) = match severity {
        Severity::Error => ("error", crate::t!("diag-error")),
        Severity::Warning => ("warning", crate::t!("diag-warning")),
    };
    match rendered.strip_prefix(word) {
        Some(rest) => format!("{id}{rest}"),
        None => rendered.to_string(),
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp(span: &Range<usize>, text: &str) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}

/// Where each line of a text begins, to find the line of many offsets quickly.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// The byte offset where a 1-based line begins (the end of the text past the last).
    pub fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..clamp(&(offset..offset), text).start];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_hint() {
        let path = PathBuf::from("content/plans/a.md");
        let text = "+++\ntitle = 1\n+++\n".to_string();
        let sources = BTreeMap::from([(path.clone(), text)]);
        let d = Diagnostic::error(&path, 12..13, "expected a string").with_hint("quote it");
        let out = render(&[d], &sources);
        assert!(out.contains("content/plans/a.md:2:9"), "{out}");
        assert!(out.contains("expected a string"));
        assert!(out.contains("hint: quote it"));
    }

    #[test]
    fn line_index_finds_lines() {
        let index = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(
            [0, 2, 3, 5, 6, 7, 9].map(|o| index.line(o)),
            [1, 1, 2, 2, 3, 4, 4]
        );
        assert_eq!(index.start(3), Some(6));
        assert_eq!(index.start(9), None);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("一二\n三四五", 10), (2, 2));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
