//! mizan — an Arabic→English translation memory.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod align;
pub mod error;
pub mod formats;
pub mod fuzzy;
pub mod outfile;
pub mod report;
pub mod segment;
pub mod text;
pub mod tm;
pub mod unit;
pub mod workflow;

pub use error::{Error, Result};
