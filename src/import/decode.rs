//! From the bytes of a file to text the importer reads: the format is told by
//! the bytes (a Word `.docx` is a zip holding `word/document.xml`; an HTML page
//! has tags), the encoding by the bytes too (UTF-8, UTF-16 with a byte-order mark,
//! else GB18030, which covers GBK and GB2312). Formats that cannot be read get a
//! message that says how to convert them.

use super::{docx, html};

/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT: usize = 20 * 1024 * 1024;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl ImportError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> ImportError {
        ImportError {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Reads a document from a file, never more than [`MAX_DOCUMENT`] and one byte:
/// a file that says it is larger is refused before it is read, and one that does
/// not say (a pipe, a device) is cut off there.
pub fn read_document(path: &std::path::Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        ImportError::new(
            crate::t!(
                "io-read",
                path = path.display().to_string(),
                error = e.to_string()
            ),
            String::new(),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let told = file.metadata().map_err(cannot)?.len();
    if told > MAX_DOCUMENT as u64 {
        return Err(too_big(told));
    }
    let mut bytes = Vec::with_capacity(told as usize);
    file.take(MAX_DOCUMENT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > MAX_DOCUMENT {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The error for a document over [`MAX_DOCUMENT`] bytes (`size` of them, or at
/// least that many).
fn too_big(size: u64) -> ImportError {
    ImportError::new(
        crate::t!(
            "import-too-big",
            size = size / (1024 * 1024),
            limit = MAX_DOCUMENT / (1024 * 1024)
        ),
        crate::t!("import-too-big-hint"),
    )
}

/// What kind of document the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Word document (Office Open XML).
    Docx,
    /// An HTML page.
    Html,
    /// Plain text (also text copied out of Word or a web page).
    Text,
}

/// The document as text for the importer, and its format.
pub fn decode(bytes: &[u8]) -> Result<(String, Format), ImportError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::new(
            crate::t!("import-empty"),
            crate::t!("import-empty-hint"),
        ));
    }
    if bytes.len() > MAX_DOCUMENT {
        return Err(too_big(bytes.len() as u64));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx::read(bytes).map(|text| (text, Format::Docx));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::new(
            crate::t!("import-doc"),
            crate::t!("import-convert"),
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::new(
            crate::t!("import-pdf"),
            crate::t!("import-pdf-hint"),
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ImportError::new(
            crate::t!("import-rtf"),
            crate::t!("import-convert"),
        ));
    }
    let text = decode_text(bytes)?;
    if html::looks_like_html(&text) {
        return html::read(&text)
            .map(|text| (text, Format::Html))
            .map_err(|depth| {
                ImportError::new(
                    crate::t!("import-html-deep", depth = depth, limit = html::MAX_DEPTH),
                    crate::t!("import-html-deep-hint"),
                )
            });
    }
    Ok((text, Format::Text))
}

/// Bytes of text in any encoding Chinese offices use, as a string.
fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    let (text, had_errors) = if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, errors) = encoding.decode(bytes);
        (text.into_owned(), errors)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), false)
    } else {
        let (text, _, errors) = encoding_rs::GB18030.decode(bytes);
        (text.into_owned(), errors)
    };
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if had_errors || controls * 100 > text.chars().count().max(1) {
        return Err(ImportError::new(
            crate::t!("import-binary"),
            crate::t!("import-binary-hint"),
        ));
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_formats() {
        let gbk = encoding_rs::GBK
            .encode("一、做好财政信息公开")
            .0
            .into_owned();
        assert_eq!(decode(&gbk).unwrap().0, "一、做好财政信息公开");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "工作任务".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap().0, "工作任务");
        assert!(decode(b"").unwrap_err().message.contains("empty"));
        assert!(
            decode(b"\xD0\xCF\x11\xE0rest")
                .unwrap_err()
                .message
                .contains(".doc")
        );
        assert!(decode(b"%PDF-1.4").unwrap_err().message.contains("PDF"));
        assert!(decode(&[0u8, 1, 2, 3, 0, 0, 0, 5, 6, 7]).is_err());
        assert!(decode(b"PK\x03\x04not a zip").is_err());
    }
}
