//! The index schema: its fields, what each document stores, and the analyzers.

use super::analyzer::{GRAMS, GramTokenizer, WORDS, WordTokenizer};
use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// A searchable field: its n-gram and (for running text) word variants, and its boost.
#[derive(Clone, Copy)]
pub struct SearchField {
    /// jieba words, for ranking whole-word matches (text and requirement only).
    pub words: Option<Field>,
    /// Bigrams, and unigrams at run ends.
    pub grams: Field,
    /// Ranking weight.
    pub boost: f32,
}

/// The fields of the index.
#[derive(Clone)]
pub struct Fields {
    /// Text fields searched by queries, in snippet order.
    pub searchable: Vec<SearchField>,
    /// Plan slug, for the plan filter.
    pub plan: Field,
    /// Year, for the year filter.
    pub year: Field,
    /// Unit keys, for the unit filter.
    pub unit: Field,
    /// Unit names (annotations removed), a fast field for facet counts.
    pub unit_name: Field,
    /// Merged category titles, a fast field for facet counts.
    pub category: Field,
    /// The stored [`HitDoc`] as JSON.
    pub doc: Field,
    /// Site order of the task (fast field): the tie-break of equal scores.
    pub ord: Field,
}

/// A plan's searchable information (title and issuer), stored in [`crate::layout::PLANS_FILE`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PlanInfo {
    /// Plan slug.
    pub slug: String,
    /// Title and issuer.
    pub info: String,
}

/// What a result needs to display and link, stored with each document.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HitDoc {
    /// Plan slug.
    pub plan: String,
    /// Plan title.
    pub plan_title: String,
    /// Task number as printed.
    pub number: String,
    /// Site-relative URL of the task.
    pub url: String,
    /// Task text.
    pub text: String,
    /// Requirement.
    pub requirement: Option<String>,
    /// Printed headings.
    pub category: Vec<String>,
    /// Unit names, lead first.
    pub units: Vec<String>,
    /// Year.
    pub year: i32,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tokenizer: &str, option| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option),
        )
    };
    let mut searchable = Vec::new();
    for (name, boost, with_words) in [
        ("text", 1.5, true),
        ("requirement", 1.0, true),
        ("category", 4.0, false),
        ("units", 6.0, false),
    ] {
        // Words only rank (term queries): no positions needed.
        let words = with_words.then(|| {
            b.add_text_field(
                &format!("{name}_words"),
                indexed(WORDS, IndexRecordOption::WithFreqs),
            )
        });
        let grams = b.add_text_field(
            &format!("{name}_grams"),
            indexed(GRAMS, IndexRecordOption::WithFreqsAndPositions),
        );
        searchable.push(SearchField {
            words,
            grams,
            boost,
        });
    }
    let fields = Fields {
        searchable,
        plan: b.add_text_field("plan", STRING | FAST),
        year: b.add_u64_field("year", INDEXED | FAST),
        unit: b.add_text_field("unit", STRING),
        unit_name: b.add_text_field("unit_name", FAST),
        category: b.add_text_field("category", FAST),
        doc: b.add_text_field("doc", STORED),
        ord: b.add_u64_field("ord", FAST),
    };
    (b.build(), fields)
}

/// Registers the Chinese analyzers on an index.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(WORDS, WordTokenizer);
    index.tokenizers().register(GRAMS, GramTokenizer);
}
