//! The reference data: every Swedish and Norwegian county and municipality, with its official code.

use std::collections::HashMap;
use std::path::Path;

use uuid::Uuid;

use super::plan::{Plan, Stamp};
use super::{DataFile, SeedError, seed_id};
use crate::entity::enums::{IdentifierScheme, OrganisationKind};
use crate::entity::{organisation, organisation_identifier};
use crate::service::text::Texts;

/// The four reference files.
#[derive(Clone, Debug)]
pub struct ReferenceFiles {
    /// Swedish counties: `lanskod,iso3166_2,namn`.
    pub se_counties: DataFile,
    /// Swedish municipalities: `kommunkod,kommun,lanskod,lan`.
    pub se_municipalities: DataFile,
    /// Norwegian counties: `fylkesnummer,fylkesnavn`.
    pub no_counties: DataFile,
    /// Norwegian municipalities: `kommunenummer,kommunenavn,fylkesnummer,fylkesnavn`.
    pub no_municipalities: DataFile,
}

const SE_COUNTIES: &str = "se_lan.csv";
const SE_MUNICIPALITIES: &str = "se_kommuner.csv";
const NO_COUNTIES: &str = "no_fylker_2024.csv";
const NO_MUNICIPALITIES: &str = "no_kommuner_2024.csv";

impl ReferenceFiles {
    /// The files compiled into the binary, from `data/reference`.
    pub fn bundled() -> Self {
        ReferenceFiles {
            se_counties: DataFile::bundled(
                "data/reference/se_lan.csv",
                include_str!("../../../data/reference/se_lan.csv"),
            ),
            se_municipalities: DataFile::bundled(
                "data/reference/se_kommuner.csv",
                include_str!("../../../data/reference/se_kommuner.csv"),
            ),
            no_counties: DataFile::bundled(
                "data/reference/no_fylker_2024.csv",
                include_str!("../../../data/reference/no_fylker_2024.csv"),
            ),
            no_municipalities: DataFile::bundled(
                "data/reference/no_kommuner_2024.csv",
                include_str!("../../../data/reference/no_kommuner_2024.csv"),
            ),
        }
    }

    /// The files of the same names in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, SeedError> {
        Ok(ReferenceFiles {
            se_counties: DataFile::read(dir, SE_COUNTIES)?,
            se_municipalities: DataFile::read(dir, SE_MUNICIPALITIES)?,
            no_counties: DataFile::read(dir, NO_COUNTIES)?,
            no_municipalities: DataFile::read(dir, NO_MUNICIPALITIES)?,
        })
    }
}

/// One data row with its line number, for error messages.
struct Row<'a> {
    file: &'a DataFile,
    line: u64,
    fields: csv::StringRecord,
}

impl Row<'_> {
    fn error(&self, reason: impl Into<String>) -> SeedError {
        SeedError::Row {
            file: self.file.name.clone(),
            line: self.line,
            reason: reason.into(),
        }
    }

    /// Field `index` (named `name` in messages), trimmed and non-empty.
    fn get(&self, index: usize, name: &str) -> Result<&str, SeedError> {
        match self.fields.get(index).map(str::trim) {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(self.error(format!("missing {name}"))),
        }
    }

    /// Field `index` as a code of exactly `digits` digits.
    fn code(&self, index: usize, name: &str, digits: usize) -> Result<&str, SeedError> {
        let value = self.get(index, name)?;
        if value.len() == digits && value.chars().all(|c| c.is_ascii_digit()) {
            Ok(value)
        } else {
            Err(self.error(format!("{name} {value:?} is not {digits} digits")))
        }
    }
}

/// Reads a CSV file whose header must be exactly `header`; every row must have as many fields.
fn rows<'a>(file: &'a DataFile, header: &[&str]) -> Result<Vec<Row<'a>>, SeedError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file.content.as_bytes());
    let found = reader
        .headers()
        .map_err(|error| SeedError::Row {
            file: file.name.clone(),
            line: 1,
            reason: error.to_string(),
        })?
        .clone();
    if found.iter().map(str::trim).ne(header.iter().copied()) {
        return Err(SeedError::Row {
            file: file.name.clone(),
            line: 1,
            reason: format!(
                "expected the header {:?}, found {:?}",
                header.join(","),
                found.iter().collect::<Vec<_>>().join(",")
            ),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let fields = record.map_err(|error| SeedError::Row {
            file: file.name.clone(),
            line: error.position().map_or(0, |p| p.line()),
            reason: error.to_string(),
        })?;
        let line = fields.position().map_or(0, |p| p.line());
        let row = Row { file, line, fields };
        if row.fields.len() != header.len() {
            return Err(row.error(format!("expected {} fields, found {}", header.len(), row.fields.len())));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(SeedError::File {
            file: file.name.clone(),
            reason: "no data rows".into(),
        });
    }
    Ok(rows)
}

/// Builds organisations and identifiers, rejecting duplicate codes.
struct Builder {
    plan: Plan,
    seen: HashMap<(IdentifierScheme, String), u64>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        row: &Row<'_>,
        kind: OrganisationKind,
        country: &str,
        parent: Option<Uuid>,
        name: &str,
        lang: &str,
        identifiers: &[(IdentifierScheme, &str)],
    ) -> Result<Uuid, SeedError> {
        let (scheme, code) = identifiers[0];
        let id = seed_id(&["organisation", scheme.to_value().as_str(), code]);
        for (scheme, value) in identifiers {
            if let Some(first) = self.seen.insert((*scheme, (*value).to_owned()), row.line) {
                return Err(row.error(format!("code {value} appears twice (first on line {first})")));
            }
            let stamp = Stamp::now();
            self.plan.identifiers.push(organisation_identifier::Model {
                id: seed_id(&["identifier", scheme.to_value().as_str(), value]),
                organisation_id: id,
                scheme: *scheme,
                value: (*value).to_owned(),
                valid_from: None,
                valid_to: None,
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
            });
        }
        let mut texts = Texts::default();
        texts.add("name", lang, name);
        let stamp = Stamp::now();
        let model = organisation::Model {
            id,
            kind,
            country: country.to_owned(),
            parent_id: parent,
            website: None,
            created_at: stamp.created_at,
            updated_at: stamp.updated_at,
            version: stamp.version,
        };
        self.plan.organisations.push((model, texts));
        Ok(id)
    }
}

use sea_orm::ActiveEnum as _;

/// The language tag of a Norwegian official name: names with parallel forms joined by " - " mix Norwegian
/// with a Sámi language or Kven, and the files do not say which part is which, so they are `mul`.
fn norwegian_name_lang(name: &str) -> &'static str {
    if name.contains(" - ") { "mul" } else { "no" }
}

/// Reads and checks all four files and returns the records they describe.
pub fn plan(files: &ReferenceFiles) -> Result<Plan, SeedError> {
    let mut builder = Builder {
        plan: Plan::default(),
        seen: HashMap::new(),
    };

    let mut se_counties = HashMap::new();
    for row in rows(&files.se_counties, &["lanskod", "iso3166_2", "namn"])? {
        let code = row.code(0, "county code", 2)?;
        let iso = row.get(1, "ISO 3166-2 code")?;
        if !(iso.starts_with("SE-") && (4..=5).contains(&iso.len()) && iso[3..].chars().all(|c| c.is_ascii_uppercase()))
        {
            return Err(row.error(format!("ISO 3166-2 code {iso:?} is not of the form SE-X or SE-XX")));
        }
        let name = row.get(2, "name")?;
        let identifiers = [(IdentifierScheme::SeLanskod, code), (IdentifierScheme::Iso3166_2, iso)];
        let id = builder.add(&row, OrganisationKind::County, "SE", None, name, "sv", &identifiers)?;
        se_counties.insert(code.to_owned(), id);
    }
    for row in rows(&files.se_municipalities, &["kommunkod", "kommun", "lanskod", "lan"])? {
        let code = row.code(0, "municipality code", 4)?;
        let name = row.get(1, "name")?;
        let county_code = row.code(2, "county code", 2)?;
        let county = *se_counties.get(county_code).ok_or_else(|| {
            row.error(format!(
                "county code {county_code} is not in {}",
                files.se_counties.name
            ))
        })?;
        if !code.starts_with(county_code) {
            return Err(row.error(format!(
                "municipality code {code} does not start with its county code {county_code}"
            )));
        }
        let identifiers = [(IdentifierScheme::SeKommunkod, code)];
        builder.add(
            &row,
            OrganisationKind::Municipality,
            "SE",
            Some(county),
            name,
            "sv",
            &identifiers,
        )?;
    }

    let mut no_counties = HashMap::new();
    for row in rows(&files.no_counties, &["fylkesnummer", "fylkesnavn"])? {
        let code = row.code(0, "county number", 2)?;
        let name = row.get(1, "name")?;
        let identifiers = [(IdentifierScheme::NoFylkesnummer, code)];
        let lang = norwegian_name_lang(name);
        let id = builder.add(&row, OrganisationKind::County, "NO", None, name, lang, &identifiers)?;
        no_counties.insert(code.to_owned(), id);
    }
    for row in rows(
        &files.no_municipalities,
        &["kommunenummer", "kommunenavn", "fylkesnummer", "fylkesnavn"],
    )? {
        let code = row.code(0, "municipality number", 4)?;
        let name = row.get(1, "name")?;
        let county_code = row.code(2, "county number", 2)?;
        let county = *no_counties.get(county_code).ok_or_else(|| {
            row.error(format!(
                "county number {county_code} is not in {}",
                files.no_counties.name
            ))
        })?;
        if !code.starts_with(county_code) {
            return Err(row.error(format!(
                "municipality number {code} does not start with its county number {county_code}"
            )));
        }
        let identifiers = [(IdentifierScheme::NoKommunenummer, code)];
        let lang = norwegian_name_lang(name);
        builder.add(
            &row,
            OrganisationKind::Municipality,
            "NO",
            Some(county),
            name,
            lang,
            &identifiers,
        )?;
    }
    Ok(builder.plan)
}
