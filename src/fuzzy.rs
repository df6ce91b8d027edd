//! fuzzy (work in progress).
