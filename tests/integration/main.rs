//! Integration tests: they drive the real `mizan` binary. One test binary (`autotests = false`).
mod common;
mod demo;
mod errors;
mod import_export;
mod pretranslate;
mod tmx;
mod translate;
