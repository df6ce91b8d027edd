//! The crate's top error type: one variant per boundary, each with a message that says what to do.
use std::path::PathBuf;

/// Errors returned by the mizan library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The translation memory.
    #[error(transparent)]
    Tm(#[from] crate::tm::TmError),
    /// The PostgreSQL store.
    #[cfg(feature = "postgres")]
    #[error(transparent)]
    Pg(#[from] crate::pg::PgError),
    /// A TM location this build cannot open (a PostgreSQL URL without the `postgres` feature).
    #[error("{0}")]
    Unsupported(String),
    /// A copy into a store that already holds units, without `append`.
    #[error("{0} already holds {1} units: copy only fills an empty translation memory (--append adds to it)")]
    NotEmpty(String, u64),
    /// Reading or writing an exchange format.
    #[error(transparent)]
    Format(#[from] crate::formats::FormatError),
    /// An output file that was refused or could not be written.
    #[error(transparent)]
    Output(#[from] crate::outfile::OutFileError),
    /// A unit that cannot be made (empty text, bad language tag).
    #[error(transparent)]
    Unit(#[from] crate::unit::UnitError),
    /// A glossary file or entry ([`crate::terms`]).
    #[error(transparent)]
    Terms(#[from] crate::terms::TermError),
    /// Segmentation rules that cannot be used.
    #[error(transparent)]
    Srx(#[from] crate::segment::SrxError),
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An I/O error on an output stream.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Tm(e.into())
    }
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
