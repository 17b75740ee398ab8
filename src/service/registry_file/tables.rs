//! The tables of the registry file, parents before children, and what is done with each: read in key
//! order, check a row, write rows (insert, or update the row with the same key).

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, IdenStatic, IntoActiveModel, Iterable, PrimaryKeyToColumn, QueryOrder,
};
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::entity::*;

/// Rows per INSERT ([`crate::db::ROWS_PER_STATEMENT`]: the widest table has 16 columns).
const CHUNK: usize = crate::db::ROWS_PER_STATEMENT;

/// Reads every row of `E` in primary-key order.
async fn rows<E>(db: &impl ConnectionTrait) -> Result<Vec<Value>, DbErr>
where
    E: EntityTrait,
    E::Model: Serialize,
{
    let mut select = E::find();
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    select
        .all(db)
        .await?
        .iter()
        .map(|model| serde_json::to_value(model).map_err(|e| DbErr::Custom(e.to_string())))
        .collect()
}

/// Whether `row` is a record of `E`: the path and message of the first thing wrong with it.
fn check<M: DeserializeOwned>(row: &Value) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, M>(row)
        .map(|_| ())
        .map_err(|error| (error.path().to_string(), error.inner().to_string()))
}

/// Inserts `rows` into `E`, or updates the rows with the same primary key.
async fn upsert<E>(db: &impl ConnectionTrait, rows: &[Value]) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
{
    let keys: Vec<E::Column> = E::PrimaryKey::iter().map(|k| k.into_column()).collect();
    let key_names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    let others: Vec<E::Column> = E::Column::iter().filter(|c| !key_names.contains(&c.as_str())).collect();
    for chunk in rows.chunks(CHUNK) {
        let models = chunk
            .iter()
            .map(|row| E::Model::deserialize(row).map(IntoActiveModel::into_active_model))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        let mut conflict = OnConflict::columns(keys.clone());
        // A link table has only key columns: set them to themselves (MariaDB has no DO NOTHING).
        let set = if others.is_empty() {
            keys.clone()
        } else {
            others.clone()
        };
        conflict.update_columns(set);
        E::insert_many(models)
            .on_conflict(conflict)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

macro_rules! registry_tables {
    ($($table:ident),* $(,)?) => {
        /// The tables of the file, each after the tables it refers to.
        pub const TABLES: &[&str] = &[$(stringify!($table)),*];

        /// Every row of `table`, in key order, as JSON.
        pub async fn read(db: &impl ConnectionTrait, table: &str) -> Result<Vec<Value>, DbErr> {
            match table {
                $(stringify!($table) => rows::<$table::Entity>(db).await,)*
                _ => Ok(Vec::new()),
            }
        }

        /// Checks one row of `table`: the path within the row and the message of what is wrong.
        pub fn check_row(table: &str, row: &Value) -> Result<(), (String, String)> {
            match table {
                $(stringify!($table) => check::<$table::Model>(row),)*
                _ => Err((String::new(), format!("no table is called {table:?}"))),
            }
        }

        /// Writes the rows of `table`: inserted, or updated where the key is there already.
        pub async fn write(db: &impl ConnectionTrait, table: &str, rows: &[Value]) -> Result<(), DbErr> {
            match table {
                $(stringify!($table) => upsert::<$table::Entity>(db, rows).await,)*
                _ => Ok(()),
            }
        }
    };
}

registry_tables!(
    organisation,
    organisation_identifier,
    strategy,
    strategy_owner,
    focus_area,
    goal,
    action_plan,
    action_plan_owner,
    theme,
    initiative,
    initiative_goal,
    initiative_theme,
    initiative_school_level,
    activity,
    responsibility,
    participation,
    status_update,
    consultation,
    consultation_event,
    event_target_group,
    consultation_question,
    submission,
    source,
    source_link,
    contact,
);
