//! `jirei new`: write a case file from a commented template.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{Cli, exit, usage_error};
use crate::case::place::Prefecture;
use crate::case::validate::is_valid_id;
use crate::diagnostic::did_you_mean;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The case title (事例名).
    pub title: String,
    /// Prefecture of the organisation, e.g. 岡山県.
    #[arg(long)]
    pub prefecture: String,
    /// Municipality, e.g. 鏡野町; leave out for a prefecture's own case.
    #[arg(long)]
    pub municipality: Option<String>,
    /// Chapter, e.g. 内部DX.
    #[arg(long, default_value = "内部DX")]
    pub category: String,
    /// Case id and file name (lowercase ASCII); by default `new-YYYYMMDD-NN`.
    #[arg(long)]
    pub id: Option<String>,
}

pub fn run(cli: &Cli, args: &NewArgs) -> u8 {
    let Some(prefecture) = Prefecture::from_name(&args.prefecture) else {
        let hint = did_you_mean(&args.prefecture, Prefecture::all_names())
            .map(|best| format!(" (did you mean {best}?)"))
            .unwrap_or_default();
        return usage_error(&format!("`{}` is not a prefecture{hint}", args.prefecture));
    };
    let cases = cli.root.join("cases");
    if let Err(e) = std::fs::create_dir_all(&cases) {
        return usage_error(&format!("cannot create {}: {e}", cases.display()));
    }
    let id = match &args.id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => {
            return usage_error(&format!(
                "`{id}` is not a valid id: use lowercase ASCII letters, digits, `-` and `_`"
            ));
        }
        None => next_free_id(&cases, &today()),
    };
    let path = cases.join(format!("{id}.md"));
    let text = template(&id, args, prefecture);
    match write_new(&path, &text) {
        Ok(()) => {
            out!("wrote {}", path.display());
            out!("次に: ファイルを編集し、`jirei check` で確認してください。");
            exit::OK
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => usage_error(&format!(
            "{} already exists; choose another --id (nothing was overwritten)",
            path.display()
        )),
        Err(e) => usage_error(&format!("cannot write {}: {e}", path.display())),
    }
}

/// Creates the file, failing if it exists (no race with another writer).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn next_free_id(cases: &Path, date: &str) -> String {
    (1..)
        .map(|n| format!("new-{date}-{n:02}"))
        .find(|id| !cases.join(format!("{id}.md")).exists() && !any_file_named(cases, id))
        .unwrap_or_else(|| format!("new-{date}"))
}

/// A case with this id may live in a sub-folder.
fn any_file_named(cases: &Path, id: &str) -> bool {
    let name = format!("{id}.md");
    walkdir::WalkDir::new(cases)
        .into_iter()
        .flatten()
        .any(|e| e.file_name().to_string_lossy() == name)
}

/// Today's date as `YYYYMMDD` (UTC), from the system clock.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Quotes a user-given value for YAML.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn template(id: &str, args: &NewArgs, prefecture: Prefecture) -> String {
    let name_line = match &args.municipality {
        Some(name) => format!(
            "  name: {}                 # 市区町村名（都道府県の事例なら行ごと削除）\n",
            yaml_string(name)
        ),
        None => String::new(),
    };
    let path_hint: PathBuf = ["cases", &format!("{id}.md")].iter().collect();
    format!(
        include_str!("new_template.md"),
        id = id,
        title = yaml_string(&args.title),
        prefecture = prefecture.name(),
        name_line = name_line,
        category = yaml_string(&args.category),
        path = path_hint.display(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::band::BandScheme;

    #[test]
    fn civil_dates_are_correct_around_leap_years() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_778), (2026, 11, 21));
    }

    #[test]
    fn the_template_is_a_valid_case() {
        let args = NewArgs {
            title: "書かない窓口: \"試行\"".into(),
            prefecture: "岡山県".into(),
            municipality: Some("鏡野町".into()),
            category: "内部DX".into(),
            id: None,
        };
        let prefecture = Prefecture::from_name("岡山県").expect("prefecture");
        let text = template("new-20261121-01", &args, prefecture);
        let case = crate::case::parse(Path::new("cases/new-20261121-01.md"), &text, &BandScheme::mic())
            .unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        assert_eq!(case.front.title, "書かない窓口: \"試行\"");
        assert_eq!(case.full_organization_name(), "岡山県鏡野町");
    }
}
