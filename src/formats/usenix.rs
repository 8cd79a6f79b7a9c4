//! USENIX program pages saved as text.

use super::LoadOptions;
use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::validate::Loaded;

/// Reads a USENIX program page.
pub fn load(_text: &str, _options: &LoadOptions) -> Result<Loaded, LoadError> {
    Err(LoadError::single(Diagnostic::error(
        Location::Input,
        "USENIX program text cannot be read by this version of lectern",
    )))
}

/// Whether the text looks like a USENIX program page.
pub fn looks_like_program(_bytes: &[u8]) -> bool {
    false
}
