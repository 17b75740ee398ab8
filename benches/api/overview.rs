//! The overview's pages, each alone with one client, on the heaviest records of the registry: the
//! latency the client sees, the server's own time for the page and for its GraphQL document (from
//! `Server-Timing`), the SQL statements and the server's CPU per page.

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use kartla::service::id::{self, NodeType};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use uuid::Uuid;

use crate::client::Client;
use crate::cpu::Meter;
use crate::stats::Latencies;

/// The target: server time per page at scale 1.
const TARGET_MS: f64 = 50.0;

/// One page to time: what it shows, and its path.
struct Target {
    name: String,
    path: String,
}

/// The record of `sql`'s first row, first column: the heaviest of its kind.
async fn heaviest(db: &DatabaseConnection, what: &str, sql: &str) -> anyhow::Result<Uuid> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .with_context(|| format!("no {what} in the registry"))?;
    row.try_get_by_index::<Uuid>(0)
        .map_err(|e| anyhow::anyhow!("the {what}'s id: {e}"))
}

/// The pages, with the records that make each heaviest at this scale.
async fn targets(db: &DatabaseConnection) -> anyhow::Result<Vec<Target>> {
    let strategy = heaviest(
        db,
        "strategy with goals",
        "SELECT f.strategy_id FROM goal g JOIN focus_area f ON f.id = g.focus_area_id \
         GROUP BY f.strategy_id ORDER BY COUNT(*) DESC, f.strategy_id LIMIT 1",
    )
    .await?;
    let initiative = heaviest(
        db,
        "initiative with participations",
        "SELECT a.initiative_id FROM participation p JOIN activity a ON a.id = p.activity_id \
         GROUP BY a.initiative_id ORDER BY COUNT(*) DESC, a.initiative_id LIMIT 1",
    )
    .await?;
    let responsible = heaviest(
        db,
        "organisation with roles",
        "SELECT organisation_id FROM responsibility GROUP BY organisation_id \
         ORDER BY COUNT(*) DESC, organisation_id LIMIT 1",
    )
    .await?;
    let county = heaviest(
        db,
        "organisation with children",
        "SELECT parent_id FROM organisation WHERE parent_id IS NOT NULL GROUP BY parent_id \
         ORDER BY COUNT(*) DESC, parent_id LIMIT 1",
    )
    .await?;
    let page = |name: &str, path: String| Target {
        name: name.to_owned(),
        path,
    };
    Ok(vec![
        page("countries", "/overview".to_owned()),
        page(
            "strategy (most goals)",
            format!("/overview/strategies/{}", id::encode(NodeType::Strategy, strategy)),
        ),
        page("initiatives, first page", "/overview/initiatives".to_owned()),
        page(
            "initiatives, SE, ongoing, search \"digital\"",
            "/overview/initiatives?country=SE&status=ONGOING&q=digital".to_owned(),
        ),
        page("activities, first page", "/overview/activities".to_owned()),
        page(
            "initiative (most participations)",
            format!("/overview/initiatives/{}", id::encode(NodeType::Initiative, initiative)),
        ),
        page(
            "organisation (most roles)",
            format!(
                "/overview/organisations/{}",
                id::encode(NodeType::Organisation, responsible)
            ),
        ),
        page(
            "county (most municipalities)",
            format!("/overview/organisations/{}", id::encode(NodeType::Organisation, county)),
        ),
        page("what changed", "/overview/changes".to_owned()),
        page(
            "what changed, initiatives",
            "/overview/changes?type=INITIATIVE".to_owned(),
        ),
    ])
}

/// Each page alone, `samples` times after a warm-up; the Markdown section.
pub async fn measure(
    client: &Client,
    meter: &Meter,
    db: &DatabaseConnection,
    samples: usize,
) -> anyhow::Result<String> {
    let mut out = String::new();
    writeln!(
        out,
        "\n### The overview's pages, each alone (one client, {samples} requests each)\n\n\
         Server time is the page's `Server-Timing` (the GraphQL document run in process, then the HTML); \
         the target is {TARGET_MS:.0} ms per page at scale 1.\n"
    )?;
    writeln!(
        out,
        "| page | p50 ms | p95 ms | server p50 ms | server max ms | of which GraphQL p50 ms | SQL statements | \
         server CPU ms | PostgreSQL CPU ms | KiB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    let mut slowest = (String::new(), Duration::ZERO);
    for target in targets(db).await? {
        for _ in 0..3 {
            client.page(&target.path).await?;
        }
        let before = client.counter("kartla_db_statements_total").await?;
        let cpu_before = meter.read();
        let (mut latencies, mut server, mut document) =
            (Latencies::default(), Latencies::default(), Latencies::default());
        let mut bytes = 0;
        let mut server_max = Duration::ZERO;
        for _ in 0..samples {
            let page = client.page(&target.path).await?;
            latencies.add(page.elapsed);
            server.add(page.server);
            document.add(page.document);
            server_max = server_max.max(page.server);
            bytes = page.bytes;
        }
        let cpu = meter.since(cpu_before, samples);
        let after = client.counter("kartla_db_statements_total").await?;
        if server_max > slowest.1 {
            slowest = (target.name.clone(), server_max);
        }
        writeln!(
            out,
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {} | {:.0} |",
            target.name,
            latencies.percentile(50.0),
            latencies.percentile(95.0),
            server.percentile(50.0),
            server_max.as_secs_f64() * 1000.0,
            document.percentile(50.0),
            (after - before) / samples.max(1) as f64,
            cpu.cells(),
            bytes as f64 / 1024.0
        )?;
    }
    let verdict = if slowest.1.as_secs_f64() * 1000.0 <= TARGET_MS {
        "within"
    } else {
        "over"
    };
    writeln!(
        out,
        "\nThe slowest page's slowest request: {} at {:.1} ms server time, {verdict} the {TARGET_MS:.0} ms target.",
        slowest.0,
        slowest.1.as_secs_f64() * 1000.0
    )?;
    Ok(out)
}
