//! align (work in progress).
