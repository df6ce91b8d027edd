//! Output files (TMX exports, pre-translated files): written whole or not at all, and never over
//! a translation memory.
//!
//! Invariants:
//! - the content goes to a temporary file beside the destination, which is renamed over it only
//!   when writing succeeded; on any error the destination is as it was and the temporary file is
//!   gone;
//! - a destination that is an SQLite database (a TM, whatever its name or however it is reached:
//!   another spelling of its path, a symbolic or hard link) or one of its `-wal`, `-shm` or
//!   `-journal` companions is refused before anything is written: a command asked to export
//!   never replaces a TM.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutFileError {
    /// The destination is the TM the command reads.
    #[error("{path} is the translation memory itself: choose another output file (the TM was left untouched)")]
    IsTheTm {
        /// The destination as given.
        path: PathBuf,
    },
    /// The destination is an SQLite database (or its journal), most likely a TM.
    #[error("{path} is {what}: mizan does not overwrite it; choose another output file or delete it first")]
    IsADatabase {
        /// The destination as given.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// Creating, writing or renaming failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The destination.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Whether the file at `path` starts like an SQLite database (false when it cannot be read).
fn is_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map(|()| &head == crate::tm::SQLITE_MAGIC)
        .unwrap_or(false)
}

/// Whether `a` and `b` name the same existing file (same device and inode on Unix, same
/// canonical path elsewhere).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses a destination that is the TM at `tm` (when given), a companion file of it, or any
/// other SQLite database or companion.
///
/// # Errors
/// [`OutFileError::IsTheTm`] or [`OutFileError::IsADatabase`].
pub fn check_destination(path: &Path, tm: Option<&Path>) -> Result<(), OutFileError> {
    let given = || path.to_path_buf();
    if let Some(tm) = tm {
        if same_file(path, tm) {
            return Err(OutFileError::IsTheTm { path: given() });
        }
    }
    if is_sqlite(path) {
        return Err(OutFileError::IsADatabase {
            path: given(),
            what: "an SQLite database (a translation memory?)",
        });
    }
    // A companion file: `X-wal`, `X-shm`, `X-journal` where X is a database, or the TM's own
    // companions even before they exist on disk.
    let name = path.to_string_lossy();
    for suffix in ["-wal", "-shm", "-journal"] {
        if let Some(base) = name.strip_suffix(suffix) {
            let base = Path::new(base);
            let of_tm = tm.is_some_and(|tm| same_file(base, tm));
            if of_tm || is_sqlite(base) {
                return Err(OutFileError::IsADatabase {
                    path: given(),
                    what: "the journal of an SQLite database (a translation memory?)",
                });
            }
        }
    }
    Ok(())
}

/// Writes `path` whole or not at all: [`check_destination`] first, then `write` into a
/// temporary file beside it (flushed and synced), renamed into place only when `write` succeeds.
///
/// # Errors
/// The destination is refused, the file cannot be created or renamed ([`OutFileError`], turned
/// into `E`), or `write` fails; the destination is unchanged then.
pub fn write_atomically<T, E>(
    path: &Path,
    tm: Option<&Path>,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<OutFileError> + From<std::io::Error>,
{
    check_destination(path, tm)?;
    let io = |source| OutFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    let result = write(&mut w).and_then(|v| {
        w.flush()?;
        w.get_ref().sync_all()?;
        Ok(v)
    });
    match result {
        Ok(v) => match std::fs::rename(&tmp, path) {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(io(e).into())
            }
        },
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm_file(dir: &Path) -> PathBuf {
        let p = dir.join("my.db");
        let tm = crate::tm::Tm::open(&p, crate::tm::OpenMode::Create).unwrap();
        drop(tm);
        p
    }

    #[test]
    fn the_tm_under_any_name_is_refused_and_left_intact() {
        let dir = tempfile::tempdir().unwrap();
        let tm = tm_file(dir.path());
        let before = std::fs::read(&tm).unwrap();
        let other_spelling = dir.path().join(".").join("my.db");
        let link = dir.path().join("link.tmx");
        std::os::unix::fs::symlink(&tm, &link).unwrap();
        let hard = dir.path().join("hard.tmx");
        std::fs::hard_link(&tm, &hard).unwrap();
        for dest in [&tm, &other_spelling, &link, &hard] {
            let r: crate::Result<()> = write_atomically(dest, Some(&tm), |w| Ok(w.write_all(b"<tmx/>")?));
            assert!(
                matches!(r, Err(crate::Error::Output(OutFileError::IsTheTm { .. }))),
                "{dest:?}: {r:?}"
            );
        }
        assert_eq!(std::fs::read(&tm).unwrap(), before);
        // Another TM, not the one read: still refused.
        let other = dir.path().join("other.db");
        std::fs::copy(&tm, &other).unwrap();
        let r: crate::Result<()> = write_atomically(&other, Some(&tm), |_| Ok(()));
        assert!(
            matches!(r, Err(crate::Error::Output(OutFileError::IsADatabase { .. }))),
            "{r:?}"
        );
        // The TM's journal, even before it exists.
        let wal = PathBuf::from(format!("{}-wal", tm.display()));
        let r: crate::Result<()> = write_atomically(&wal, Some(&tm), |_| Ok(()));
        assert!(
            matches!(r, Err(crate::Error::Output(OutFileError::IsADatabase { .. }))),
            "{r:?}"
        );
        assert!(!wal.exists());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.tmx");
        std::fs::write(&dest, "old").unwrap();
        let r: crate::Result<()> = write_atomically(&dest, None, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full").into())
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let r: crate::Result<()> = write_atomically(&dest, None, |w| Ok(w.write_all(b"new")?));
        r.unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
    }
}
