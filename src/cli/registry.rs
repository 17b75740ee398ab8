//! `kartla export` and `kartla import`: the registry as one open-data file and back.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

use crate::service::registry_file::{self, Personal};

/// The shapes `kartla export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON file, the format `kartla import` reads.
    Json,
    /// A folder of CSV files, one per table and one per table's texts.
    Csv,
}

/// What to export, and where.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The shape of the export.
    #[arg(long, value_enum, ignore_case = true, default_value = "json")]
    format: ExportFormat,
    /// Where to write: a file for JSON (standard output when left out), a folder for CSV (required).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include personal data (contacts' email and phone); left out by default.
    #[arg(long)]
    personal_data: bool,
}

/// Writes the export.
pub async fn export(db: &DatabaseConnection, args: ExportArgs) -> anyhow::Result<()> {
    let personal = if args.personal_data {
        Personal::Included
    } else {
        Personal::Withheld
    };
    let file = registry_file::export(db, personal).await?;
    match (args.format, args.output) {
        (ExportFormat::Json, None) => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &file)?;
            writeln!(out)?;
        }
        (ExportFormat::Json, Some(path)) => {
            let mut text = serde_json::to_string_pretty(&file)?;
            text.push('\n');
            std::fs::write(&path, text).map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
            eprintln!("exported the registry to {}", path.display());
        }
        (ExportFormat::Csv, None) => anyhow::bail!("--format csv writes a folder: give it with --output"),
        (ExportFormat::Csv, Some(folder)) => {
            registry_file::write_csv(&file, &folder)
                .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", folder.display()))?;
            eprintln!("exported the registry as CSV files to {}", folder.display());
        }
    }
    Ok(())
}

/// Reads the file as a stream, checks all of it, and imports it; every problem is printed with its JSON
/// path (the first thousand, and how many there are).
pub async fn import(db: &DatabaseConnection, path: &Path) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).map_err(|error| anyhow::anyhow!("cannot read {}: {error}", path.display()))?;
    let reading = ProgressBar::new(file.metadata().map(|m| m.len()).unwrap_or(0)).with_style(
        ProgressStyle::with_template("checking {bar:40} {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let reader = reading.wrap_read(file);
    let staged = tokio::task::spawn_blocking(move || registry_file::stage(reader))
        .await?
        .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?;
    reading.finish_and_clear();
    if !staged.problems.is_empty() {
        for problem in &staged.problems {
            eprintln!("{problem}");
        }
        if staged.problem_count > staged.problems.len() {
            eprintln!("... and {} more", staged.problem_count - staged.problems.len());
        }
        anyhow::bail!(
            "{}: {} problems; nothing was imported",
            path.display(),
            staged.problem_count
        );
    }
    let progress = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("importing {bar:40} {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let rows = registry_file::import_staged(db, &staged, &progress).await?;
    eprintln!("imported {rows} rows from {}", path.display());
    Ok(())
}
