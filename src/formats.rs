//! formats (work in progress).
