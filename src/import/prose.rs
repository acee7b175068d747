//! Prose plans: headings among the paragraphs before the first task.

use super::DraftSection;
use super::classify::{heading_level, is_plain_title, is_unit_cell};

/// Splits leading prose into the preamble and prose sections: a short line without
/// sentence punctuation that is followed by text is a heading.
pub(super) fn split_prose_headings(
    preamble: Vec<String>,
    sections: &mut Vec<DraftSection>,
) -> Vec<String> {
    let mut kept = Vec::new();
    let mut prose_sections: Vec<DraftSection> = Vec::new();
    for (i, p) in preamble.iter().enumerate() {
        let followed_by_text = preamble.get(i + 1).is_some_and(|n| n.chars().count() > 40);
        let ordinal = heading_level(p).is_some() && p.chars().count() <= 30;
        let plain =
            is_plain_title(p) && p.chars().count() <= 12 && !p.ends_with('日') && !is_unit_cell(p);
        let heading = (ordinal || plain) && followed_by_text;
        if heading && !kept.is_empty() {
            prose_sections.push(DraftSection {
                title: p.clone(),
                level: 1,
                ..Default::default()
            });
        } else if let Some(s) = prose_sections.last_mut() {
            s.prose.push(p.clone());
        } else {
            kept.push(p.clone());
        }
    }
    if !prose_sections.is_empty() {
        prose_sections.append(sections);
        *sections = prose_sections;
    }
    // A heading (level 1) directly followed by a level-1 section that holds tasks and
    // a level-2 child is fine; prose-only sections with prose under tasks stay prose.
    kept
}
