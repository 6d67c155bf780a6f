//! A cheap fingerprint of everything an index depends on: the case files
//! (path, size, modification time), `jirei.toml`, `synonyms.toml` and the
//! jirei version, and whether drafts are included (`--drafts`). Equal
//! fingerprints mean the cached index is current.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

const FILE_NAME: &str = "jirei-fingerprint";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    text: String,
    drafts: bool,
}

impl Fingerprint {
    /// The fingerprint of `root`'s collection as indexed with drafts
    /// (`drafts`) or, as the site publishes it by default, without.
    pub fn of_collection(root: &Path, drafts: bool) -> Fingerprint {
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        for name in [crate::config::CONFIG_FILE, "synonyms.toml"] {
            fs::read(root.join(name)).ok().hash(&mut hasher);
        }
        let mut files = 0u64;
        let walker = WalkDir::new(root.join("cases")).sort_by_file_name();
        for entry in walker.into_iter().flatten().filter(|e| e.file_type().is_file()) {
            files += 1;
            entry.path().hash(&mut hasher);
            if let Ok(meta) = entry.metadata() {
                meta.len().hash(&mut hasher);
                let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
                modified.map(|d| d.as_nanos()).hash(&mut hasher);
            }
        }
        let scope = if drafts { "drafts" } else { "published" };
        Fingerprint {
            text: format!("{files}-{:016x}-{scope}", hasher.finish()),
            drafts,
        }
    }

    /// Whether the index should hold `case`.
    pub fn holds(&self, case: &crate::case::Case) -> bool {
        self.drafts || !case.front.draft
    }

    pub fn read(dir: &Path) -> Option<Fingerprint> {
        let text = fs::read_to_string(dir.join(FILE_NAME)).ok()?.trim().to_string();
        let drafts = text.ends_with("-drafts");
        Some(Fingerprint { text, drafts })
    }

    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        fs::write(dir.join(FILE_NAME), &self.text)
    }
}
