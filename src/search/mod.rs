//! Full-text search over tasks: a tantivy index built with the site
//! (`output/search/index/`), Chinese analysis, queries, facets and snippets.

pub mod analyzer;
mod directory;
pub mod index;
pub mod query;

pub use index::{LiveIndex, build_index};
pub use query::{SearchError, SearchIndex, SearchRequest, SearchResponse};
