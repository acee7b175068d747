//! The query of one signature in several fields: the documents where some field
//! holds every term of the [`signature`](super::analyzer::signature), each scored
//! by the best such field.
//!
//! For a broad word (`公开`, in most documents) a disjunction over the fields of
//! conjunctions of term and range queries spends more merging than reading the
//! postings. Here each field's matches are counted in an array over the segment's
//! documents, term after term (a prefix's terms read as one), and the documents
//! come out of a bitset, with their scores — what the browser's engine does over
//! the static index too.

use super::analyzer::SignatureTerm;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TERMINATED, Term};

/// Documents where one of `fields` holds every term of `signature`, scored by
/// the highest score of the fields that do.
#[derive(Clone, Debug)]
pub struct FieldsHold {
    /// Each field with the score of a document it holds the signature in.
    fields: Vec<(Field, Score)>,
    /// The terms, each a term of the index or a prefix of some.
    signature: Vec<SignatureTerm>,
}

impl FieldsHold {
    /// The query of `signature` in `fields` (each with its score).
    pub fn new(fields: Vec<(Field, Score)>, signature: Vec<SignatureTerm>) -> Self {
        FieldsHold { fields, signature }
    }

    /// Sets `matched` to the documents of the segment whose `field` holds the
    /// signature: `counts` (scratch) counts, for each document, how many of the
    /// terms it holds so far, term after term. (A query is cut to
    /// [`MAX_QUERY_CHARS`](super::terms::MAX_QUERY_CHARS) characters: a signature
    /// has far fewer terms than a `u16` counts.)
    fn matches(
        &self,
        reader: &SegmentReader,
        field: Field,
        counts: &mut Vec<u16>,
        matched: &mut Vec<DocId>,
    ) -> tantivy::Result<()> {
        let index = reader.inverted_index(field)?;
        counts.clear();
        counts.resize(reader.max_doc() as usize, 0);
        matched.clear();
        let last = self.signature.len().saturating_sub(1);
        for (k, term) in (0u16..).zip(&self.signature) {
            let mut any = false;
            let mut mark = |postings: &mut BlockSegmentPostings| {
                while !postings.docs().is_empty() {
                    for &doc in postings.docs() {
                        let count = &mut counts[doc as usize];
                        if *count == k {
                            *count = k + 1;
                            any = true;
                            if usize::from(k) == last {
                                matched.push(doc);
                            }
                        }
                    }
                    postings.advance();
                }
            };
            if term.prefix {
                let end = term.prefix_end();
                let mut terms = index
                    .terms()
                    .range()
                    .ge(term.text.as_bytes())
                    .lt(end.as_bytes())
                    .into_stream()?;
                while terms.advance() {
                    mark(&mut read_postings(&index, terms.value())?);
                }
            } else if let Some(info) =
                index.get_term_info(&Term::from_field_text(field, &term.text))?
            {
                mark(&mut read_postings(&index, &info)?);
            }
            if !any {
                break;
            }
        }
        Ok(())
    }
}

/// A term's postings, documents only.
fn read_postings(
    index: &InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
) -> tantivy::Result<BlockSegmentPostings> {
    Ok(index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?)
}

impl Query for FieldsHold {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for FieldsHold {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max_doc = reader.max_doc() as usize;
        let mut scorer = DenseScorer {
            present: vec![0; max_doc.div_ceil(64)],
            scores: vec![0.0; max_doc],
            doc: 0,
            count: 0,
        };
        let (mut counts, mut matched) = (Vec::new(), Vec::new());
        for &(field, score) in self.fields.iter().filter(|_| !self.signature.is_empty()) {
            self.matches(reader, field, &mut counts, &mut matched)?;
            for &doc in &matched {
                let doc = doc as usize;
                let (word, bit) = (doc / 64, 1u64 << (doc % 64));
                let score = score * boost;
                if scorer.present[word] & bit == 0 {
                    scorer.present[word] |= bit;
                    scorer.scores[doc] = score;
                    scorer.count += 1;
                } else {
                    scorer.scores[doc] = scorer.scores[doc].max(score);
                }
            }
        }
        scorer.doc = scorer.next_from(0);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("FieldsHold", scorer.score()))
    }
}

/// The matching documents of a segment as a bitset, with a score for each
/// document (a seek finds the next set bit, a word of 64 documents at a time).
struct DenseScorer {
    /// Bit `d % 64` of word `d / 64` is set for a matching document `d`.
    present: Vec<u64>,
    /// The score of each document, by document (0 where none matches).
    scores: Vec<Score>,
    /// The current document.
    doc: DocId,
    /// How many documents match.
    count: u32,
}

impl DenseScorer {
    /// The first matching document from `from` on, or [`TERMINATED`].
    fn next_from(&self, from: DocId) -> DocId {
        let from = from as usize;
        let mut word = from / 64;
        let Some(&first) = self.present.get(word) else {
            return TERMINATED;
        };
        let mut bits = first & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return (word * 64) as DocId + bits.trailing_zeros();
            }
            word += 1;
            match self.present.get(word) {
                Some(&next) => bits = next,
                None => return TERMINATED,
            }
        }
    }
}

impl DocSet for DenseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.next_from(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.doc {
            self.doc = self.next_from(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.count
    }
}

impl Scorer for DenseScorer {
    fn score(&mut self) -> Score {
        self.scores
            .get(self.doc as usize)
            .copied()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dense_scorer_walks_and_seeks_its_documents_in_order() {
        let matching = [3u32, 64, 65, 200];
        let mut scorer = DenseScorer {
            present: vec![0; 4],
            scores: vec![0.0; 256],
            doc: 0,
            count: matching.len() as u32,
        };
        for &d in &matching {
            scorer.present[d as usize / 64] |= 1 << (d % 64);
            scorer.scores[d as usize] = d as Score;
        }
        scorer.doc = scorer.next_from(0);
        assert_eq!(scorer.doc(), 3);
        assert_eq!(scorer.advance(), 64);
        assert_eq!(scorer.score(), 64.0);
        assert_eq!(scorer.seek(64), 64, "a seek to the current document stays");
        assert_eq!(scorer.seek(66), 200, "across empty words");
        assert_eq!(scorer.score(), 200.0);
        assert_eq!(scorer.advance(), TERMINATED);
        assert_eq!(scorer.advance(), TERMINATED);
        assert_eq!(scorer.seek(TERMINATED), TERMINATED);
    }
}
