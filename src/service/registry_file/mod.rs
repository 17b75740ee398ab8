//! The registry as one open-data file: every record of every table and every text, in a format that
//! `kartla import` reads back. The same data always gives the same bytes (records in key order, object
//! keys sorted, no export time), so two exports can be compared with `diff` and a round trip through an
//! empty database gives an identical file.
//!
//! ```json
//! { "format": "kartla-registry", "formatVersion": 1,
//!   "records": { "organisation": [ { "id": "...", "kind": "MUNICIPALITY", ... } ], "initiative": [...], ... },
//!   "texts": { "organisation": [ { "ownerId": "...", "field": "name", "lang": "sv", "text": "..." } ], ... } }
//! ```
//!
//! Records use the API's field names in camelCase and enum values as in GraphQL. Contacts' `email` and
//! `phone` are personal data: they are null unless the export includes personal data. API tokens and the
//! audit log are never exported.

mod export;
mod import;
pub mod indexes;
mod stage;
mod tables;

pub use export::{Personal, export, write_csv};
pub use import::{ImportProblem, import, import_staged, validate};
pub use stage::{Staged, stage};
pub use tables::TABLES;

/// The format marker at the top of the file.
pub const FORMAT: &str = "kartla-registry";

/// The version of the format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;
