//! tm (work in progress).
