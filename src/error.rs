//! The crate's top error type.
/// Errors returned by the mizan library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An SQLite error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}
/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
