//! The IPADIC dictionary embedded in the binary by `build.rs`.
lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);
