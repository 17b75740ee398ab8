//! The SQL floor: the data of the standard page (50 initiatives with their title, goals, themes, roles
//! with organisations, and the first 10 activities of each with their participant counts) read with the
//! fewest hand-written statements straight through sqlx, each value decoded; five statements, the
//! initiatives' count folded into the first.

use sea_orm::sqlx::{self, Row};
use uuid::Uuid;

/// `IN (...)` placeholders for `n` values starting at parameter `from` (1-based), in the backend's style.
fn placeholders(postgres: bool, from: usize, n: usize) -> String {
    (from..from + n)
        .map(|k| if postgres { format!("${k}") } else { "?".to_owned() })
        .collect::<Vec<_>>()
        .join(", ")
}

fn statements(postgres: bool, n: usize) -> [String; 5] {
    let ids = placeholders(postgres, 1, n);
    [
        "SELECT i.id, i.status, t.text AS title, (SELECT COUNT(*) FROM initiative c WHERE c.archived_at IS NULL) AS total \
         FROM initiative i LEFT JOIN initiative_text t ON t.owner_id = i.id AND t.field = 'title' AND t.lang = 'en' \
         WHERE i.archived_at IS NULL ORDER BY i.id LIMIT 51"
            .to_owned(),
        format!(
            "SELECT ig.initiative_id, g.code, t.text FROM initiative_goal ig JOIN goal g ON g.id = ig.goal_id \
             LEFT JOIN goal_text t ON t.owner_id = g.id AND t.field = 'title' AND t.lang = 'sv' \
             WHERE ig.initiative_id IN ({ids})"
        ),
        format!(
            "SELECT it.initiative_id, th.code, t.text FROM initiative_theme it JOIN theme th ON th.id = it.theme_id \
             LEFT JOIN theme_text t ON t.owner_id = th.id AND t.field = 'label' AND t.lang = 'en' \
             WHERE it.initiative_id IN ({ids})"
        ),
        format!(
            "SELECT r.initiative_id, r.role, r.decision, o.id, t.text FROM responsibility r \
             JOIN organisation o ON o.id = r.organisation_id \
             LEFT JOIN organisation_text t ON t.owner_id = o.id AND t.field = 'name' AND t.lang = 'sv' \
             WHERE r.initiative_id IN ({ids})"
        ),
        format!(
            "SELECT a.initiative_id, a.id, a.status, a.total, t.text, \
               (SELECT COUNT(*) FROM participation p WHERE p.activity_id = a.id) AS participants \
             FROM (SELECT id, initiative_id, status, \
                     ROW_NUMBER() OVER (PARTITION BY initiative_id ORDER BY id) AS n, \
                     COUNT(*) OVER (PARTITION BY initiative_id) AS total \
                   FROM activity WHERE archived_at IS NULL AND initiative_id IN ({ids})) a \
             LEFT JOIN activity_text t ON t.owner_id = a.id AND t.field = 'title' AND t.lang = 'en' \
             WHERE a.n <= 10"
        ),
    ]
}

/// What one floor request read: rows, and a checksum of the values so nothing is optimised away.
#[derive(Debug, Default)]
pub struct Read {
    /// Rows read in all.
    pub rows: usize,
    /// Bytes of text read.
    pub bytes: usize,
}

macro_rules! floor {
    ($name:ident, $pool:ty, $postgres:expr) => {
        /// One floor request on this backend.
        pub async fn $name(pool: &$pool) -> anyhow::Result<Read> {
            let mut read = Read::default();
            let [initiatives, ..] = statements($postgres, 0);
            let rows = sqlx::query(sqlx::AssertSqlSafe(initiatives))
                .fetch_all(pool)
                .await?;
            let mut ids: Vec<Uuid> = Vec::with_capacity(rows.len());
            for row in rows.iter().take(50) {
                ids.push(row.try_get(0)?);
                read.bytes += row.try_get::<String, _>(1)?.len();
                read.bytes += row.try_get::<Option<String>, _>(2)?.map_or(0, |t| t.len());
                read.rows += usize::try_from(row.try_get::<i64, _>(3)?).map_or(0, |_| 1);
            }
            let [_, goals, themes, roles, activities] = statements($postgres, ids.len());
            for sql in [goals, themes] {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in &ids {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(pool).await? {
                    let _: Uuid = row.try_get(0)?;
                    read.bytes += row.try_get::<String, _>(1)?.len();
                    read.bytes += row.try_get::<Option<String>, _>(2)?.map_or(0, |t| t.len());
                    read.rows += 1;
                }
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(roles));
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(pool).await? {
                let _: Option<Uuid> = row.try_get(0)?;
                read.bytes += row.try_get::<String, _>(1)?.len() + row.try_get::<String, _>(2)?.len();
                let _: Uuid = row.try_get(3)?;
                read.bytes += row.try_get::<Option<String>, _>(4)?.map_or(0, |t| t.len());
                read.rows += 1;
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(activities));
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(pool).await? {
                let _: Uuid = row.try_get(0)?;
                let _: Uuid = row.try_get(1)?;
                read.bytes += row.try_get::<String, _>(2)?.len();
                let _: i64 = row.try_get(3)?;
                read.bytes += row.try_get::<Option<String>, _>(4)?.map_or(0, |t| t.len());
                let _: i64 = row.try_get(5)?;
                read.rows += 1;
            }
            Ok(read)
        }
    };
}

floor!(sqlite, sqlx::SqlitePool, false);
floor!(postgres, sqlx::PgPool, true);
