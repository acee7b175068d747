//! Merged unit cells: blank cells share the units of the task above.

use super::{DraftSection, ImportWarning};

/// Blank unit cells (and tasks left without any unit cell) share the units of the
/// task above in the same section.
pub(super) fn resolve_merged_units(
    sections: &mut [DraftSection],
    warnings: &mut Vec<ImportWarning>,
) {
    for s in sections.iter_mut() {
        let mut above: Option<Vec<Option<String>>> = None;
        for t in s.tasks.iter_mut() {
            // A blank unit cell, or none at all with no unit cell after it.
            if (t.explicit_blank_units || t.units.is_empty()) && t.units.iter().all(Option::is_none)
            {
                if let Some(units) = &above {
                    t.units = units.clone();
                    warnings.push(ImportWarning::new(
                        t.line,
                        crate::t!("import-blank-cell", number = t.number.as_str()),
                    ));
                }
            } else if t.units.iter().any(Option::is_some) {
                above = Some(t.units.clone());
            }
        }
    }
}
