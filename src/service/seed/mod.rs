//! Seeding: the reference data (every Swedish and Norwegian municipality and county) and the demo data
//! (strategies, plans, initiatives and a consultation, from public facts only).
//!
//! Every run first reads and checks all its files, then writes everything in one transaction: a malformed
//! row stops the run with file, line and reason, and nothing is written. Records get deterministic UUIDs
//! derived from their natural keys, and a record that exists already is left untouched, so a second run
//! changes nothing.

mod demo;
mod demo_activities;
mod plan;
mod reference;
pub mod synthetic;

use std::fmt;
use std::path::Path;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use self::plan::Plan;
use crate::service::change_feed::{self, snapshot};

pub use demo::DemoFiles;
pub use reference::ReferenceFiles;

/// A data file: the name shown in errors and its content.
#[derive(Clone, Debug)]
pub struct DataFile {
    /// Path shown in error messages, such as `data/reference/se_lan.csv`.
    pub name: String,
    /// The file's text.
    pub content: String,
}

impl DataFile {
    /// A file compiled into the binary.
    pub fn bundled(name: &str, content: &str) -> Self {
        DataFile {
            name: name.to_owned(),
            content: content.to_owned(),
        }
    }

    /// Reads `dir/file_name`, naming it by its full path.
    pub fn read(dir: &Path, file_name: &str) -> Result<Self, SeedError> {
        let path = dir.join(file_name);
        let name = path.display().to_string();
        let content = std::fs::read_to_string(&path).map_err(|error| SeedError::File {
            file: name.clone(),
            reason: error.to_string(),
        })?;
        Ok(DataFile { name, content })
    }
}

/// Why seeding stopped. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A row or value in a data file is malformed.
    #[error("{file}:{line}: {reason}")]
    Row {
        /// The file's name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A data file cannot be read or is malformed as a whole.
    #[error("{file}: {reason}")]
    File {
        /// The file's name.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The database refused the write.
    #[error("database error while seeding: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// What a seeding run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Records written by this run.
    pub inserted: usize,
    /// Records that were present already and left as they were.
    pub unchanged: usize,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} records added, {} already present", self.inserted, self.unchanged)
    }
}

/// Seeds the reference data from `files`, all or nothing.
pub async fn reference(db: &DatabaseConnection, files: &ReferenceFiles) -> Result<SeedReport, SeedError> {
    let plan = reference::plan(files)?;
    write(db, plan).await
}

/// Seeds the demo data from `files`, all or nothing. The demo data names municipalities only through the
/// reference data's keys, so the reference data is seeded first, in the same transaction.
pub async fn demo(
    db: &DatabaseConnection,
    reference_files: &ReferenceFiles,
    files: &DemoFiles,
) -> Result<SeedReport, SeedError> {
    let mut plan = reference::plan(reference_files)?;
    plan.extend(demo::plan(files)?);
    write(db, plan).await
}

/// Writes `plan` in one transaction, with a change event for every record it adds.
async fn write(db: &DatabaseConnection, plan: Plan) -> Result<SeedReport, SeedError> {
    let txn = crate::db::begin_write(db).await?;
    let before = snapshot::take(&txn).await?;
    let report = plan.write(&txn).await?;
    crate::service::region_count::rebuild(&txn).await?;
    crate::service::facet_count::rebuild(&txn).await?;
    let after = snapshot::take(&txn).await?;
    change_feed::commit(txn, chrono::Utc::now(), &snapshot::changes(&before, &after)).await?;
    Ok(report)
}

/// The UUID of a seeded record, derived from its kind and natural key, the same on every run and machine.
pub fn seed_id(parts: &[&str]) -> Uuid {
    const NAMESPACE: Uuid = Uuid::from_u128(0x6b61_726c_6100_4000_8000_7365_6564_0001);
    Uuid::new_v5(&NAMESPACE, parts.join("/").as_bytes())
}
