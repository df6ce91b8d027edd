//! Integration tests: they drive the real `mizan` binary. One test binary (`autotests = false`).
mod align;
mod analyze;
mod cat_tools;
mod check;
mod common;
mod demo;
mod errors;
mod examples;
mod fragments;
mod fuzzy;
mod import_export;
mod invisible;
mod layering;
#[cfg(feature = "postgres")]
mod pg_store;
mod pretranslate;
mod readme;
mod safety;
mod segment;
mod serve;
mod status;
mod terminal;
mod terms;
mod tmx;
mod translate;
mod web;
mod xliff;
