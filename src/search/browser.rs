//! The static index: what the browser needs to answer searches itself on any
//! static host, the same as the server (`static/search-engine.js` reads it).
//!
//! Under `search/static/`, every file gzip-compressed (the browser inflates it,
//! so the bytes fetched are small on hosts that do not compress):
//!
//! - `meta.json.gz`: the format, the number of documents, the first term of each
//!   postings shard, the field weights and limits, the plans (slug, title, year,
//!   first document, number of tasks, folded title and issuer), the vocabulary,
//!   and the traditional → simplified characters of the folding;
//! - `p/N.gz`: postings shards, terms in order: each term's documents (site
//!   order; gaps, or a bitmap for a term in many documents), then for each
//!   document four bits, one per field the term occurs in (text, requirement,
//!   category, units), two documents to a byte, the first in the low half. The
//!   terms are the index's (see [`super::analyzer`]), and the first one and two
//!   units of each as a prefix entry (the units, then [`PREFIX_END`]; after the
//!   terms it begins, with all of their documents): what a word of one or two
//!   units looks up;
//! - `d/N.gz`: what a result shows of each task ([`StaticDoc`]) as JSON,
//!   [`DOCS_PER_CHUNK`] per file (its plan's slug, title and year are in
//!   `meta.json.gz`, found by the document's number);
//! - `facets.gz`: each category title and unit label with its documents;
//! - `unitkeys.gz`: each key the unit filter finds tasks by, with its documents.
//!
//! Binary lists are LEB128 varints: a string is its byte length and UTF-8 bytes;
//! a document list is its length and the gaps between document numbers.
//! Postings are read from the tantivy index just built (documents mapped to site
//! order through the `ord` fast field), term by term in ranges merged in parallel.

use super::index::{PlanDocs, unit_names};
use super::schema::{FIELD_WEIGHTS, Fields};
use crate::layout::BROWSER_INDEX_DIR;
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::{DocSet, Index, TERMINATED};

/// Format of the static index, read by the engine.
pub const FORMAT: u32 = 5;

/// Documents per stored-document file.
pub const DOCS_PER_CHUNK: usize = 64;

/// Uncompressed bytes of postings a shard holds before the next one starts (a
/// term with more has a shard of its own): ~8 KB once compressed. With 24 KB, as
/// before the field bits were packed, shards compressed to ~11 KB and each query
/// fetched more (50k: `市財政局` 20 KB instead of 15, `政府信息公开` 143 instead of 132).
const SHARD_BYTES: usize = 18 * 1024;

/// The index's description, `meta.json.gz`.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    /// The content hash: asked for with every other file, so a browser never mixes
    /// files of two builds.
    version: &'a str,
    docs: usize,
    docs_per_chunk: usize,
    /// The first term of each postings shard, in order.
    shards: Vec<String>,
    /// Field weights, in the order of the mask bits.
    weights: Vec<u32>,
    contiguous: u32,
    facet_size: usize,
    max_query_chars: usize,
    max_limit: usize,
    plans: Vec<PlanEntry<'a>>,
    /// The vocabulary, one word per line.
    words: String,
    /// Pairs of characters (original, folded) the folding changes on their own.
    fold: String,
}

/// A plan in `meta.json.gz`.
#[derive(Serialize)]
struct PlanEntry<'a> {
    slug: &'a str,
    title: &'a str,
    year: i32,
    /// Its first document (documents are in site order).
    first: usize,
    /// Its number of tasks.
    count: usize,
    /// Title and issuer, folded.
    info: String,
}

/// Writes the static index of `site` under `out`, from the tantivy `index` built
/// for the same content, the plans' documents and the vocabulary.
pub(crate) fn write(
    index: &Index,
    fields: &Fields,
    site: &Site,
    docs: &[PlanDocs],
    words: &[&String],
    version: &str,
    out: &Path,
) -> tantivy::Result<()> {
    let dir = out.join(BROWSER_INDEX_DIR);
    std::fs::create_dir_all(dir.join("p"))?;
    std::fs::create_dir_all(dir.join("d"))?;
    // The postings are merged range by range, the documents and facets beside them.
    let (shards, rest) = rayon::join(
        || write_postings(index, fields, words, &dir),
        || write_documents(docs, &dir).and_then(|()| write_facets(docs, &dir)),
    );
    let shards = shards?;
    rest?;
    let mut words_text = String::new();
    for w in words {
        words_text.push_str(w);
        words_text.push('\n');
    }
    let mut first = 0;
    let plans = site
        .plans
        .iter()
        .map(|p| {
            let entry = PlanEntry {
                slug: &p.slug,
                title: &p.meta.title,
                year: p.meta.year,
                first,
                count: p.tasks().len(),
                info: super::analyzer::fold_str(&format!("{} {}", p.meta.title, p.meta.issuer)),
            };
            first += p.tasks().len();
            entry
        })
        .collect();
    let meta = Meta {
        format: FORMAT,
        version: version.trim(),
        docs: first,
        docs_per_chunk: DOCS_PER_CHUNK,
        shards,
        weights: FIELD_WEIGHTS.iter().map(|(_, w)| *w).collect(),
        contiguous: super::query::CONTIGUOUS,
        facet_size: super::facets::FACET_SIZE,
        max_query_chars: super::terms::MAX_QUERY_CHARS,
        max_limit: super::query::MAX_LIMIT,
        plans,
        words: words_text,
        fold: fold_table(),
    };
    let json = serde_json::to_vec(&meta).expect("meta serializes");
    write_gz(&dir.join("meta.json.gz"), &json, META_GZIP)?;
    Ok(())
}

/// Appends a LEB128 varint.
fn varint(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-prefixed UTF-8 string.
fn string(s: &str, out: &mut Vec<u8>) {
    varint(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

/// Appends a list of increasing document numbers: its length, then the gaps.
fn doc_list(docs: &[u32], out: &mut Vec<u8>) {
    varint(docs.len() as u64, out);
    let mut last = 0;
    for &d in docs {
        varint(u64::from(d - last), out);
        last = d;
    }
}

/// Compression of the postings shards and document chunks, which each query fetches
/// a few of: libdeflate's level 3 makes them about as small as zlib's level 5 did.
/// Level 1 would save ~0.05 s of CPU at 50,000 tasks, but the broadest query of the
/// static search bench (`政府信息公开`) would fetch 132 KB instead of 124.
const CHUNK_GZIP: i32 = 3;

/// Compression of the facet lists (which a first search fetches) and the unit
/// filter's keys, ~1.2 MB each at 50,000 tasks: level 6 makes them as small as
/// zlib's level 9 did in a third of the time (10 ms); level 10 2–4 % smaller in 100 ms.
const LIST_GZIP: i32 = 6;

/// Compression of the index description (`meta.json.gz`, fetched first): level 10
/// makes it 7 % smaller than level 6, in 15 ms.
const META_GZIP: i32 = 10;

/// Writes bytes gzip-compressed.
fn write_gz(path: &Path, bytes: &[u8], level: i32) -> std::io::Result<()> {
    std::fs::write(path, gzip(bytes, level))
}

/// A thread's gzip compressors (one per level used) and their output buffer.
#[derive(Default)]
struct Gzip {
    compressors: Vec<(i32, libdeflater::Compressor)>,
    buffer: Vec<u8>,
}

thread_local! {
    static GZIP: std::cell::RefCell<Gzip> = std::cell::RefCell::default();
}

/// Bytes gzip-compressed (no time stamp or name: the same bytes, the same file).
fn gzip(bytes: &[u8], level: i32) -> Vec<u8> {
    GZIP.with_borrow_mut(|gz| {
        let at = match gz.compressors.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                let lvl = libdeflater::CompressionLvl::new(level).expect("a level of libdeflate");
                gz.compressors
                    .push((level, libdeflater::Compressor::new(lvl)));
                gz.compressors.len() - 1
            }
        };
        let compressor = &mut gz.compressors[at].1;
        gz.buffer
            .resize(compressor.gzip_compress_bound(bytes.len()), 0);
        let len = compressor
            .gzip_compress(bytes, &mut gz.buffer)
            .expect("the bound holds the compressed bytes");
        gz.buffer[..len].to_vec()
    })
}

/// Term ranges the postings are merged in, in parallel: at most this many.
const POSTING_RANGES: usize = 16;

/// One segment of the tantivy index as the postings merge reads it: which of its
/// documents are alive, each document's site order, and each searchable field's
/// inverted index.
struct SegmentSource {
    alive: Option<tantivy::fastfield::AliveBitSet>,
    ord: std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>,
    inverted: Vec<std::sync::Arc<tantivy::InvertedIndexReader>>,
}

/// A postings shard: its first term and its gzip-compressed bytes.
type Shard = (String, Vec<u8>);

/// Writes every term of the four searchable fields, in term order, merged over
/// segments and fields: its documents in site order with their field bits. The
/// terms are cut into ranges at vocabulary words (`words`, sorted), so the ranges
/// depend on the content alone, and each range is merged on its own thread.
/// Returns the first term of each shard.
fn write_postings(
    index: &Index,
    fields: &Fields,
    words: &[&String],
    dir: &Path,
) -> tantivy::Result<Vec<String>> {
    let searcher = index.reader()?.searcher();
    let mut sources = Vec::new();
    for segment in searcher.segment_readers() {
        sources.push(SegmentSource {
            alive: segment.alive_bitset().cloned(),
            ord: segment.fast_fields().u64("ord")?.first_or_default_col(0),
            inverted: fields
                .searchable
                .iter()
                .map(|f| segment.inverted_index(f.grams))
                .collect::<tantivy::Result<Vec<_>>>()?,
        });
    }
    // Cut at a word's first character: the terms that start with one unit (and
    // so their prefix entries) stay in one range.
    let mut bounds: Vec<&str> = (1..POSTING_RANGES)
        .filter_map(|i| words.get(i * words.len() / POSTING_RANGES))
        .filter_map(|w| w.char_indices().nth(1).map(|(end, _)| &w[..end]))
        .collect();
    bounds.dedup();
    let ranges: Vec<(Option<&str>, Option<&str>)> = (0..=bounds.len())
        .map(|i| (i.checked_sub(1).map(|j| bounds[j]), bounds.get(i).copied()))
        .collect();
    let parts = ranges
        .into_par_iter()
        .map(|(from, to)| merge_range(&sources, from, to))
        .collect::<tantivy::Result<Vec<Vec<Shard>>>>()?;
    let shards: Vec<&Shard> = parts.iter().flatten().collect();
    shards
        .par_iter()
        .enumerate()
        .try_for_each(|(i, (_, gz))| std::fs::write(dir.join("p").join(format!("{i}.gz")), gz))?;
    Ok(shards.into_iter().map(|(first, _)| first.clone()).collect())
}

/// The shards of the terms from `from` (included) to `to` (excluded), compressed,
/// with the prefix entries of their first one and two units.
fn merge_range(
    sources: &[SegmentSource],
    from: Option<&str>,
    to: Option<&str>,
) -> tantivy::Result<Vec<Shard>> {
    let mut streams = Vec::new();
    for (source, s) in sources.iter().enumerate() {
        for (bit, inv) in s.inverted.iter().enumerate() {
            let mut range = inv.terms().range();
            if let Some(from) = from {
                range = range.ge(from);
            }
            if let Some(to) = to {
                range = range.lt(to);
            }
            let mut stream = range.into_stream()?;
            if stream.advance() {
                streams.push((source, bit, inv, stream));
            }
        }
    }
    let mut out = ShardWriter::default();
    // The terms that start with the same one unit, and with the same two.
    let mut groups = [PrefixGroup::default(), PrefixGroup::default()];
    let mut entries: Vec<(u32, u8)> = Vec::new();
    let mut merged: Vec<(u32, u8)> = Vec::new();
    while let Some(key) = streams
        .iter()
        .map(|(_, _, _, s)| s.key())
        .min()
        .map(<[u8]>::to_vec)
    {
        entries.clear();
        let mut i = 0;
        while i < streams.len() {
            let (source, bit, inv, stream) = &mut streams[i];
            if stream.key() != key.as_slice() {
                i += 1;
                continue;
            }
            let SegmentSource { alive, ord, .. } = &sources[*source];
            let mut postings = inv.read_postings_from_terminfo(
                stream.value(),
                tantivy::schema::IndexRecordOption::Basic,
            )?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.as_ref().is_none_or(|a| a.is_alive(doc)) {
                    entries.push((ord.get_val(doc) as u32, 1 << *bit));
                }
                doc = postings.advance();
            }
            if stream.advance() {
                i += 1;
            } else {
                streams.swap_remove(i);
            }
        }
        // Each stream's documents are in site order: a stable sort merges the runs.
        entries.sort();
        merge_masks(&entries, &mut merged);
        let prefixes = unit_prefixes(&key);
        // A group ends where a term does not start with its prefix; the longer first.
        for (depth, group) in groups.iter_mut().enumerate().rev() {
            if group.prefix.as_slice() != prefixes.get(depth).map_or(&[][..], |p| &key[..*p]) {
                group.finish(&mut out)?;
            }
        }
        out.push(&key, &merged)?;
        for (group, &end) in groups.iter_mut().zip(&prefixes) {
            if group.prefix.is_empty() {
                group.prefix.extend_from_slice(&key[..end]);
            }
            group.entries.extend_from_slice(&merged);
        }
    }
    for group in groups.iter_mut().rev() {
        group.finish(&mut out)?;
    }
    out.finish()
}

/// The character after the prefix of a prefix entry: it sorts after every term
/// that starts with the prefix and before every other term after them.
pub const PREFIX_END: char = char::MAX;

/// The byte lengths of a term's first unit and first two units (as many as it
/// has, up to two): a Han character, or a Latin/digit word with its U+0001.
fn unit_prefixes(term: &[u8]) -> Vec<usize> {
    let text = String::from_utf8_lossy(term);
    text.char_indices()
        .filter(|&(_, c)| c == '\u{1}' || crate::text::is_han(c))
        .map(|(i, c)| i + c.len_utf8())
        .take(2)
        .collect()
}

/// Documents with field bits, in order and each once (the bits of a document's
/// entries joined).
fn merge_masks(entries: &[(u32, u8)], merged: &mut Vec<(u32, u8)>) {
    merged.clear();
    for &(doc, bit) in entries {
        match merged.last_mut() {
            Some((d, mask)) if *d == doc => *mask |= bit,
            _ => merged.push((doc, bit)),
        }
    }
}

/// The terms that start with one prefix: their documents, gathered for the
/// prefix's own entry (its text then [`PREFIX_END`]), which the browser reads
/// for a word of one or two units instead of every term it begins.
#[derive(Default)]
struct PrefixGroup {
    prefix: Vec<u8>,
    /// Its terms' documents with their field bits, term after term.
    entries: Vec<(u32, u8)>,
    merged: Vec<(u32, u8)>,
    /// The field bits of each document, for a group of many entries.
    dense: Vec<u8>,
}

impl PrefixGroup {
    /// Writes the prefix's entry (when the group has terms) and empties the group.
    fn finish(&mut self, out: &mut ShardWriter) -> std::io::Result<()> {
        if self.prefix.is_empty() {
            return Ok(());
        }
        let docs = self.entries.iter().map(|&(d, _)| d as usize + 1).max();
        match docs {
            // Many entries over few documents: gathered by document, not sorted.
            Some(docs) if self.entries.len() * 8 >= docs => {
                self.dense.clear();
                self.dense.resize(docs, 0);
                for &(doc, bit) in &self.entries {
                    self.dense[doc as usize] |= bit;
                }
                self.merged.clear();
                self.merged.extend(
                    (0u32..)
                        .zip(&self.dense)
                        .filter(|&(_, &mask)| mask != 0)
                        .map(|(doc, &mask)| (doc, mask)),
                );
            }
            // A run of sorted lists: the stable sort merges the runs.
            _ => {
                self.entries.sort();
                merge_masks(&self.entries, &mut self.merged);
            }
        }
        let mut key = std::mem::take(&mut self.prefix);
        key.extend_from_slice(PREFIX_END.encode_utf8(&mut [0; 4]).as_bytes());
        out.push(&key, &self.merged)?;
        self.prefix = key;
        self.prefix.clear();
        self.entries.clear();
        Ok(())
    }
}

/// Terms with their documents, cut into compressed shards of about
/// [`SHARD_BYTES`].
#[derive(Default)]
struct ShardWriter {
    shards: Vec<Shard>,
    shard: Vec<u8>,
    first: String,
    terms: u64,
    encoded: Vec<u8>,
    gaps: Vec<u8>,
}

impl ShardWriter {
    /// Appends a term and its documents with their field bits.
    fn push(&mut self, key: &[u8], docs: &[(u32, u8)]) -> std::io::Result<()> {
        self.encoded.clear();
        varint(key.len() as u64, &mut self.encoded);
        self.encoded.extend_from_slice(key);
        doc_set(docs, &mut self.gaps, &mut self.encoded);
        field_bits(docs, &mut self.encoded);
        if !self.shard.is_empty() && self.shard.len() + self.encoded.len() > SHARD_BYTES {
            self.cut()?;
        }
        if self.shard.is_empty() {
            self.first = String::from_utf8_lossy(key).into_owned();
        }
        self.shard.extend_from_slice(&self.encoded);
        self.terms += 1;
        Ok(())
    }

    /// Compresses the shard being filled, and starts the next.
    fn cut(&mut self) -> std::io::Result<()> {
        let mut file = Vec::with_capacity(self.shard.len() + 8);
        varint(self.terms, &mut file);
        file.extend_from_slice(&self.shard);
        self.shard.clear();
        self.terms = 0;
        self.shards
            .push((std::mem::take(&mut self.first), gzip(&file, CHUNK_GZIP)));
        Ok(())
    }

    /// The shards, the last one cut too.
    fn finish(mut self) -> tantivy::Result<Vec<Shard>> {
        if !self.shard.is_empty() {
            self.cut()?;
        }
        Ok(self.shards)
    }
}

/// Appends a term's documents (increasing, each once): twice their number, then
/// the gaps between them; or, when that is shorter (a term in more than about
/// one document in eight), twice their number plus one, then a bitmap of the
/// documents (its length, then bit `d % 8` of byte `d / 8` for document `d`).
fn doc_set(docs: &[(u32, u8)], gaps: &mut Vec<u8>, out: &mut Vec<u8>) {
    gaps.clear();
    let mut last = 0;
    for &(doc, _) in docs {
        varint(u64::from(doc - last), gaps);
        last = doc;
    }
    let bitmap_len = docs.last().map_or(0, |&(d, _)| d as usize / 8 + 1);
    let n = docs.len() as u64;
    if bitmap_len + 4 < gaps.len() {
        varint(n * 2 + 1, out);
        varint(bitmap_len as u64, out);
        let start = out.len();
        out.resize(start + bitmap_len, 0);
        for &(doc, _) in docs {
            out[start + doc as usize / 8] |= 1 << (doc % 8);
        }
    } else {
        varint(n * 2, out);
        out.extend_from_slice(gaps);
    }
}

/// Appends the field bits of a term's documents, two documents to a byte (the
/// first in the low four bits; a last odd document's byte has its high bits 0).
fn field_bits(docs: &[(u32, u8)], out: &mut Vec<u8>) {
    const { assert!(FIELD_WEIGHTS.len() <= 4, "a field's bit fits in four") };
    out.extend(docs.chunks(2).map(|pair| {
        pair.iter()
            .zip([0, 4])
            .fold(0, |byte, (&(_, bits), shift)| byte | bits << shift)
    }));
}

/// What a result shows of a task, in `d/N.gz`: a [`HitDoc`](super::schema::HitDoc)
/// without what its plan says (slug, title, year: the engine finds the plan by
/// the document's number); its link is the plan's page and the task's `anchor`.
#[derive(Serialize)]
struct StaticDoc<'t> {
    number: &'t str,
    anchor: &'t str,
    text: &'t str,
    requirement: Option<&'t str>,
    category: &'t [String],
    units: Vec<&'t str>,
}

impl<'t> StaticDoc<'t> {
    /// The task's document.
    fn of(task: &'t crate::model::Task) -> StaticDoc<'t> {
        StaticDoc {
            number: &task.number,
            anchor: &task.anchor,
            text: &task.text,
            requirement: task.requirement.as_deref(),
            category: &task.category,
            units: unit_names(task).into_iter().map(String::as_str).collect(),
        }
    }
}

/// The stored documents, [`DOCS_PER_CHUNK`] per file, in site order.
fn write_documents(docs: &[PlanDocs], dir: &Path) -> std::io::Result<()> {
    let all: Vec<&crate::model::Task> = docs.iter().flat_map(|d| d.plan.tasks()).collect();
    all.par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            let hits: Vec<StaticDoc> = chunk.iter().map(|t| StaticDoc::of(t)).collect();
            let json = serde_json::to_vec(&hits).expect("documents serialize");
            write_gz(&dir.join("d").join(format!("{i}.gz")), &json, CHUNK_GZIP)
        })
}

/// Category titles and unit labels with their documents (`facets.gz`), and the
/// unit filter's keys with theirs (`unitkeys.gz`).
fn write_facets(docs: &[PlanDocs], dir: &Path) -> std::io::Result<()> {
    let mut categories: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut units: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut keys: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut ord = 0u32;
    for d in docs {
        for (i, (cats, task_keys)) in d.categories.iter().zip(&d.unit_keys).enumerate() {
            for c in cats {
                push_doc(categories.entry(c).or_default(), ord);
            }
            for label in d.office_labels(i) {
                push_doc(units.entry(label).or_default(), ord);
            }
            for k in task_keys {
                push_doc(keys.entry(k).or_default(), ord);
            }
            ord += 1;
        }
    }
    // Two files of about a megabyte each, compressed side by side.
    let (facets, unit_keys) = rayon::join(
        || {
            let mut facets = Vec::new();
            value_lists(&categories, &mut facets);
            value_lists(&units, &mut facets);
            write_gz(&dir.join("facets.gz"), &facets, LIST_GZIP)
        },
        || {
            let mut unit_keys = Vec::new();
            value_lists(&keys, &mut unit_keys);
            write_gz(&dir.join("unitkeys.gz"), &unit_keys, LIST_GZIP)
        },
    );
    facets.and(unit_keys)
}

/// Appends values with their documents: how many values, then each value and
/// its document list.
fn value_lists<K: AsRef<str>>(map: &BTreeMap<K, Vec<u32>>, out: &mut Vec<u8>) {
    varint(map.len() as u64, out);
    for (value, list) in map {
        string(value.as_ref(), out);
        doc_list(list, out);
    }
}

/// Adds a document to a list once (a task may name one office twice).
fn push_doc(list: &mut Vec<u32>, doc: u32) {
    if list.last() != Some(&doc) {
        list.push(doc);
    }
}

/// Every character the folding changes on its own, as pairs (original, folded),
/// concatenated: the engine folds queries with it (and with the few rules that
/// depend on the characters around, which it carries itself).
fn fold_table() -> String {
    let mut out = String::new();
    for c in (0x800u32..0x10000).filter_map(char::from_u32) {
        if let Some(f) = crate::text::simplified_alone(c) {
            out.push(c);
            out.push(f);
        }
    }
    out
}
