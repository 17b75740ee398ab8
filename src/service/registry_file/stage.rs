//! The first pass of an import: the file read once as a stream, never whole. Every row is checked as it
//! is read and written, one JSON line each, to a file per table in a temporary folder, so the second pass
//! can write the tables parents first whatever order the file has them in (an export has them in
//! alphabetical order). Memory holds one row at a time and the keys seen, to find a record given twice.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use uuid::Uuid;

use super::import::{ImportProblem, check_text, problem};
use super::tables::{TABLES, check_row};
use super::{FORMAT, FORMAT_VERSION};
use crate::error::Error;
use crate::service::text::TextOwner;

/// The most problems kept to report; the count goes on.
const MAX_PROBLEMS: usize = 1000;

/// A checked file, spilled per table.
pub struct Staged {
    dir: tempfile::TempDir,
    /// Rows per (section, table): records or texts.
    rows: HashMap<(Section, String), u64>,
    /// The problems found, at most [`MAX_PROBLEMS`] of them.
    pub problems: Vec<ImportProblem>,
    /// How many problems there are.
    pub problem_count: usize,
}

/// The two parts of the file that hold rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// `records`
    Records,
    /// `texts`
    Texts,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Records => "records",
            Section::Texts => "texts",
        }
    }
}

impl Staged {
    /// The number of rows of one table.
    pub fn count(&self, section: Section, table: &str) -> u64 {
        self.rows.get(&(section, table.to_owned())).copied().unwrap_or(0)
    }

    /// Every row.
    pub fn total(&self) -> u64 {
        self.rows.values().sum()
    }

    fn path(&self, section: Section, table: &str) -> PathBuf {
        self.dir.path().join(format!("{}.{table}.jsonl", section.name()))
    }

    /// The rows of one table, in the file's order, in batches of at most `batch`.
    pub fn batches(&self, section: Section, table: &str, batch: usize) -> Result<Batches, Error> {
        let lines = if self.count(section, table) == 0 {
            None
        } else {
            let file = File::open(self.path(section, table))
                .map_err(|e| Error::Internal(format!("cannot read the staged rows of {table}: {e}")))?;
            Some(BufReader::new(file).lines())
        };
        Ok(Batches { lines, batch })
    }
}

/// Batches of staged rows.
pub struct Batches {
    lines: Option<std::io::Lines<BufReader<File>>>,
    batch: usize,
}

impl Iterator for Batches {
    type Item = Result<Vec<Value>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let lines = self.lines.as_mut()?;
        let mut rows = Vec::with_capacity(self.batch);
        for line in lines.by_ref() {
            let row = line
                .map_err(|e| Error::Internal(format!("cannot read staged rows: {e}")))
                .and_then(|l| serde_json::from_str(&l).map_err(|e| Error::Internal(format!("a staged row: {e}"))));
            match row {
                Ok(row) => rows.push(row),
                Err(error) => return Some(Err(error)),
            }
            if rows.len() == self.batch {
                break;
            }
        }
        (!rows.is_empty()).then_some(Ok(rows))
    }
}

/// What the pass keeps while it reads.
struct Stager {
    staged: Staged,
    writers: HashMap<(Section, String), BufWriter<File>>,
    format: Option<Value>,
    version: Option<Value>,
    /// Record keys seen per table: IDs, or the whole row for link rows.
    ids: HashMap<String, HashSet<Uuid>>,
    links: HashMap<String, HashSet<String>>,
    /// Texts seen: (owner, field, language), the two names interned.
    texts: HashSet<(Uuid, u32, u32)>,
    names: HashMap<String, u32>,
    io_error: Option<std::io::Error>,
}

impl Stager {
    fn report(&mut self, found: ImportProblem) {
        self.staged.problem_count += 1;
        if self.staged.problems.len() < MAX_PROBLEMS {
            self.staged.problems.push(found);
        }
    }

    fn intern(&mut self, name: &str) -> u32 {
        let next = self.names.len() as u32;
        *self.names.entry(name.to_owned()).or_insert(next)
    }

    fn keep(&mut self, section: Section, table: &str, row: &Value) {
        if self.io_error.is_some() {
            return;
        }
        let key = (section, table.to_owned());
        let result = match self.writers.get_mut(&key) {
            Some(writer) => write_line(writer, row),
            None => File::create(self.staged.path(section, table)).and_then(|file| {
                let mut writer = BufWriter::new(file);
                let written = write_line(&mut writer, row);
                self.writers.insert(key.clone(), writer);
                written
            }),
        };
        match result {
            Ok(()) => *self.staged.rows.entry(key).or_default() += 1,
            Err(error) => self.io_error = Some(error),
        }
    }

    fn record(&mut self, table: &str, k: usize, row: Value) {
        let at = format!("$.records.{table}[{k}]");
        if let Err((path, message)) = check_row(table, &row) {
            let path = if path == "." || path.is_empty() {
                String::new()
            } else {
                format!(".{path}")
            };
            self.report(problem(format!("{at}{path}"), message));
        }
        let twice = match row
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| Uuid::parse_str(id).ok())
        {
            Some(id) => !self.ids.entry(table.to_owned()).or_default().insert(id),
            None => !self.links.entry(table.to_owned()).or_default().insert(row.to_string()),
        };
        if twice {
            self.report(problem(at, "the same record appears twice"));
        }
        self.keep(Section::Records, table, &row);
    }

    fn text(&mut self, owner: &str, k: usize, row: Value) {
        let at = format!("$.texts.{owner}[{k}]");
        let before = self.staged.problem_count;
        let mut found = Vec::new();
        check_text(&at, &row, &mut found);
        for each in found {
            self.report(each);
        }
        if self.staged.problem_count == before {
            let str_of = |key: &str| row[key].as_str().unwrap_or_default().to_owned();
            let id = Uuid::parse_str(&str_of("ownerId")).unwrap_or_default();
            let (field, lang) = (self.intern(&str_of("field")), self.intern(&str_of("lang")));
            if !self.texts.insert((id, field, lang)) {
                self.report(problem(at, "the same text (owner, field and language) appears twice"));
            }
        }
        self.keep(Section::Texts, owner, &row);
    }
}

fn write_line(writer: &mut BufWriter<File>, row: &Value) -> std::io::Result<()> {
    serde_json::to_writer(&mut *writer, row)?;
    writer.write_all(b"\n")
}

/// Reads `reader` once: checks every row and spills it. A file that is not JSON is an error; a file that is
/// JSON but not a sound registry file gives problems in [`Staged::problems`].
pub fn stage(reader: impl Read) -> Result<Staged, Error> {
    let dir = tempfile::Builder::new()
        .prefix("kartla-import-")
        .tempdir()
        .map_err(|e| Error::Internal(format!("cannot make a temporary folder for the import: {e}")))?;
    let mut stager = Stager {
        staged: Staged {
            dir,
            rows: HashMap::new(),
            problems: Vec::new(),
            problem_count: 0,
        },
        writers: HashMap::new(),
        format: None,
        version: None,
        ids: HashMap::new(),
        links: HashMap::new(),
        texts: HashSet::new(),
        names: HashMap::new(),
        io_error: None,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, reader));
    Top(&mut stager)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
        .map_err(|error| Error::BadInput(format!("the file is not JSON: {error}")))?;
    for (_, mut writer) in stager.writers.drain() {
        if let Err(error) = writer.flush() {
            stager.io_error.get_or_insert(error);
        }
    }
    if let Some(error) = stager.io_error.take() {
        return Err(Error::Internal(format!("cannot stage the import: {error}")));
    }
    if stager.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
        stager.report(problem("$.format", format!("this is not a {FORMAT:?} file")));
    }
    if stager.version.as_ref().and_then(Value::as_u64) != Some(FORMAT_VERSION) {
        stager.report(problem(
            "$.formatVersion",
            format!("this build reads format version {FORMAT_VERSION}"),
        ));
    }
    Ok(stager.staged)
}

/// The top of the file: an object with the format, its version, records and texts.
struct Top<'a>(&'a mut Stager);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Accepts any JSON value other than the expected one: consumes it and reports `message` at `at`.
macro_rules! refuse_other_values {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.refuse();
            Ok(())
        }
    };
}

impl Top<'_> {
    fn refuse(self) {
        self.0.report(problem("$", "the file is a JSON object"));
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a registry file")
    }

    refuse_other_values!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.refuse();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => self.0.format = Some(map.next_value()?),
                "formatVersion" => self.0.version = Some(map.next_value()?),
                "records" => map.next_value_seed(Tables(self.0, Section::Records))?,
                "texts" => map.next_value_seed(Tables(self.0, Section::Texts))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    self.0.report(problem(format!("$.{key}"), "not a part of the format"));
                }
            }
        }
        Ok(())
    }
}

/// `records` or `texts`: an object of tables.
struct Tables<'a>(&'a mut Stager, Section);

impl<'de> DeserializeSeed<'de> for Tables<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Tables<'_> {
    fn refuse(self) {
        let at = format!("$.{}", self.1.name());
        self.0.report(problem(at, "an object of tables"));
    }
}

impl<'de> Visitor<'de> for Tables<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of tables")
    }

    refuse_other_values!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.refuse();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let section = self.1;
        while let Some(table) = map.next_key::<String>()? {
            let at = format!("$.{}.{table}", section.name());
            let known = match section {
                Section::Records => TABLES.contains(&table.as_str()),
                Section::Texts => TextOwner::ALL.iter().any(|o| o.table() == table),
            };
            if !known {
                map.next_value::<IgnoredAny>()?;
                let message = match section {
                    Section::Records => "no table is called so",
                    Section::Texts => "no record type with texts is called so",
                };
                self.0.report(problem(at, message));
                continue;
            }
            map.next_value_seed(Rows {
                stager: self.0,
                section,
                table: &table,
            })?;
        }
        Ok(())
    }
}

/// One table: a list of rows.
struct Rows<'a> {
    stager: &'a mut Stager,
    section: Section,
    table: &'a str,
}

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Rows<'_> {
    fn refuse(self) {
        let at = format!("$.{}.{}", self.section.name(), self.table);
        let message = match self.section {
            Section::Records => "a table is a list of records",
            Section::Texts => "the texts of a record type are a list",
        };
        self.stager.report(problem(at, message));
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }

    refuse_other_values!();

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.refuse();
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut k = 0;
        while let Some(row) = seq.next_element::<Value>()? {
            match self.section {
                Section::Records => self.stager.record(self.table, k, row),
                Section::Texts => self.stager.text(self.table, k, row),
            }
            k += 1;
        }
        Ok(())
    }
}
