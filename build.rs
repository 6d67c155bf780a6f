//! Builds the IPADIC dictionary from Debian's `mecab-ipadic` sources and
//! leaves it in `OUT_DIR` for `lindera_dictionary::embedded_dictionary!`.
//!
//! lindera's own `embed-ipadic` feature downloads an archive at build time,
//! which is impossible on machines without internet access. Debian ships the
//! same sources (EUC-JP CSV and `.def` files), so we compile those instead.
//! Set `JIREI_IPADIC_DIR` to use sources from another directory.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

const DEFAULT_SOURCE_DIR: &str = "/usr/share/mecab/dic/ipadic";
const SOURCE_ENV: &str = "JIREI_IPADIC_DIR";
const METADATA_FILE: &str = "dictionary/ipadic-metadata.json";
/// Files that must exist for the sources to be usable.
const REQUIRED_FILES: [&str; 5] = ["matrix.def", "char.def", "unk.def", "Noun.csv", "Verb.csv"];

fn main() -> ExitCode {
    println!("cargo:rerun-if-env-changed={SOURCE_ENV}");
    println!("cargo:rerun-if-changed={METADATA_FILE}");
    println!("cargo:rerun-if-changed=build.rs");
    match build() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Cargo shows stderr of a failed build script in full.
            eprintln!("\nerror: {message}\n");
            ExitCode::FAILURE
        }
    }
}

fn build() -> Result<(), String> {
    let source_dir = env::var_os(SOURCE_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SOURCE_DIR));
    check_sources(&source_dir)?;
    println!("cargo:rerun-if-changed={}", source_dir.display());

    let out_dir = PathBuf::from(env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let dict_dir = out_dir.join("ipadic");
    // The builder writes its own metadata.json (with a format version); our
    // stamp records which source metadata the output was built from.
    let stamp = dict_dir.join("jirei-source-metadata.json");

    let metadata_json = fs::read(METADATA_FILE).map_err(|e| format!("cannot read {METADATA_FILE}: {e}"))?;
    // Skip the (slow) rebuild when the output is already there and current.
    if fs::read(&stamp).ok().as_deref() != Some(metadata_json.as_slice()) {
        let metadata = Metadata::load(&metadata_json)
            .map_err(|e| format!("{METADATA_FILE} is not valid dictionary metadata: {e}"))?;
        if dict_dir.exists() {
            fs::remove_dir_all(&dict_dir).map_err(|e| format!("cannot clean {dict_dir:?}: {e}"))?;
        }
        DictionaryBuilder::new(metadata)
            .build_dictionary(&source_dir, &dict_dir)
            .map_err(|e| {
                format!(
                    "building the IPADIC dictionary from {} failed: {e}",
                    source_dir.display()
                )
            })?;
        fs::write(&stamp, &metadata_json).map_err(|e| format!("cannot write {stamp:?}: {e}"))?;
    }
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
    Ok(())
}

fn check_sources(dir: &Path) -> Result<(), String> {
    let missing: Vec<&str> = REQUIRED_FILES
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the IPADIC dictionary sources were not found in {} (missing: {}).\n\
         jirei embeds a Japanese dictionary built from Debian's mecab-ipadic package.\n\
         Install it with:\n\n    sudo apt-get install -y mecab-ipadic\n\n\
         or point {SOURCE_ENV} at a directory holding the IPADIC sources \
         (matrix.def, char.def, unk.def and the *.csv files, EUC-JP).",
        dir.display(),
        missing.join(", ")
    ))
}
