//! Tests of the aligner on real data and random input.
