//! The API token: what every write to the room must carry.
//!
//! It is 128 random bits from the operating system, written as 32 hexadecimal digits, made on
//! the first run and kept in the state directory (`~/.local/state/lectern/api-token`, mode
//! 0600) so that a phone that has it keeps working after a restart. `--token` replaces it.

use std::path::{Path, PathBuf};

/// The number of random bytes in a token.
const TOKEN_BYTES: usize = 16;

/// The shortest token accepted from `--token` or the token file, in characters.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Why no token could be had.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The operating system gave no random bytes.
    #[error("cannot make an API token: no random numbers from the system ({0})")]
    Random(String),
    /// The token file could not be read or written.
    #[error("{path}: cannot keep the API token: {reason}\n  help: give one with --token")]
    File {
        /// The token file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A token given by hand is too short or has characters that do not fit a header.
    #[error(
        "the API token must be at least {MIN_TOKEN_CHARS} characters of letters, digits, `-`, `_` or `.`"
    )]
    Weak,
}

/// A new random token.
pub fn generate() -> Result<String, TokenError> {
    let mut bytes = [0_u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|error| TokenError::Random(error.to_string()))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Checks a token given by hand.
pub fn validate(token: &str) -> Result<(), TokenError> {
    let fits = token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if token.chars().count() >= MIN_TOKEN_CHARS && fits {
        Ok(())
    } else {
        Err(TokenError::Weak)
    }
}

/// The token file in the XDG state directory, if a home or state directory is known.
pub fn default_path() -> Option<PathBuf> {
    Some(crate::state_file::state_dir()?.join("api-token"))
}

/// The token kept in `path`, made and saved (mode 0600) when there is none yet.
pub fn load_or_create(path: &Path) -> Result<String, TokenError> {
    let file_error = |reason: String| TokenError::File {
        path: path.to_owned(),
        reason,
    };
    match crate::source::read_limited(path) {
        Ok(bytes) => {
            let token = String::from_utf8_lossy(&bytes).trim().to_owned();
            if validate(&token).is_ok() {
                return Ok(token);
            }
            // A damaged token file is replaced; the phones that had it must scan the code again.
            eprintln!(
                "lectern: {}: the API token there is not valid; making a new one",
                path.display()
            );
        }
        Err(crate::source::SourceError::Missing { .. }) => {}
        Err(error) => return Err(file_error(error.to_string())),
    }
    let token = generate()?;
    if let Some(directory) = path.parent() {
        std::fs::create_dir_all(directory).map_err(|error| file_error(error.to_string()))?;
    }
    crate::write::write_file(path, format!("{token}\n").as_bytes())
        .map_err(|error| file_error(error.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|error| file_error(error.to_string()))?;
    }
    Ok(token)
}

/// Compares a presented token with the real one in time that does not depend on where they
/// first differ, so that the token cannot be guessed a character at a time from response times.
pub fn matches(presented: &[u8], token: &[u8]) -> bool {
    if presented.len() != token.len() {
        return false;
    }
    presented
        .iter()
        .zip(token)
        .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_of_128_bits() {
        let first = generate().expect("token");
        let second = generate().expect("token");
        assert_eq!(first.len(), 32);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }

    #[test]
    fn the_token_file_is_made_once_private_and_kept() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("state").join("api-token");
        let made = load_or_create(&path).expect("made");
        assert_eq!(load_or_create(&path).expect("kept"), made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(matches(b"abcdef0123456789", b"abcdef0123456789"));
        assert!(!matches(b"abcdef0123456788", b"abcdef0123456789"));
        assert!(!matches(b"abcdef012345678", b"abcdef0123456789"));
        assert!(!matches(b"", b"abcdef0123456789"));
    }

    #[test]
    fn hand_made_tokens_must_be_long_and_header_safe() {
        assert!(validate("room-a.token_0123").is_ok());
        assert!(validate("short").is_err());
        assert!(validate("has spaces in it, sixteen+").is_err());
    }
}
