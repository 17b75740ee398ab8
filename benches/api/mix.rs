//! The requests the benchmark sends: the mix of six, and the extra ones it compares with (the
//! standard page of 5, the first page of activities).

use hyper::body::Bytes;
use kartla::entity::{activity, strategy};
use kartla::service::id::{self, NodeType};
use kartla::service::page::encode_cursor;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

/// The standard nested page: initiatives with goals, themes, roles with organisations, and their first 10
/// activities with participant counts.
pub fn standard_page(n: usize) -> String {
    format!(
        "query StandardPage {{ initiatives(first: {n}) {{ totalCount pageInfo {{ endCursor hasNextPage }} nodes {{
           id title status goals {{ code title }} themes {{ code label }}
           responsibilities {{ role decision organisation {{ id name }} }}
           activities(first: 10) {{ totalCount nodes {{ id title status participants {{ totalCount }} }} }} }} }} }}"
    )
}

const STATISTICS: &str = "query CountryStatistics { statistics(filter: {country: [\"SE\"]}) { totalCount
    byStatus { status count } byCountry { country count } byTheme { theme { code } count }
    byFocusArea { focusArea { id } count } bySchoolLevel { schoolLevel count }
    byResponsibleOrganisationKind { kind count } byRegion { region { name } count } } }";

const COVERAGE: &str = "query StrategyCoverage($strategy: ID!) { coverage(strategyId: $strategy) {
    strategy { name } focusAreas { focusArea { name } goals { goal { code } gap
      initiativesByStatus { status count } activitiesByStatus { status count } } } } }";

const SEARCH: &str = "query Search { search(query: \"digital\", first: 20) { totalCount nodes {
    __typename ... on Initiative { id title } ... on Activity { id title } ... on Organisation { id name } } } }";

const ACTIVITY_PAGE: &str = "query ActivityPage($after: String) { activities(first: 50, after: $after) {
    pageInfo { endCursor hasNextPage } nodes { id title status plannedStart } } }";

const UPDATE: &str = "mutation UpdateActivity($input: UpdateActivityInput!) { updateActivity(input: $input) {
    activity { id version } userErrors { field code message } } }";

/// One request of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// 1. The standard nested page of 50.
    StandardPage,
    /// 2. `statistics` for Sweden.
    Statistics,
    /// 3. `coverage` of the Swedish strategy.
    Coverage,
    /// 4. `search` for "digital".
    Search,
    /// 5. A page of 50 activities 40,000 rows in.
    DeepPage,
    /// 6. `updateActivity`.
    Update,
    /// The standard page of 5 (for its statements).
    StandardPageOf5,
    /// The first page of 50 activities (to compare the deep page with).
    FirstPage,
}

impl Request {
    /// The mix, in its order.
    pub const MIX: [Request; 6] = [
        Request::StandardPage,
        Request::Statistics,
        Request::Coverage,
        Request::Search,
        Request::DeepPage,
        Request::Update,
    ];

    /// Every request measured alone.
    pub const ALL: [Request; 8] = [
        Request::StandardPage,
        Request::StandardPageOf5,
        Request::Statistics,
        Request::Coverage,
        Request::Search,
        Request::FirstPage,
        Request::DeepPage,
        Request::Update,
    ];

    /// Its name in the results.
    pub fn name(self) -> &'static str {
        match self {
            Request::StandardPage => "1. standard page (50)",
            Request::Statistics => "2. statistics (SE)",
            Request::Coverage => "3. coverage (strategy)",
            Request::Search => "4. search \"digital\"",
            Request::DeepPage => "5. deep page (50 activities, 40,000 rows in)",
            Request::Update => "6. updateActivity",
            Request::StandardPageOf5 => "standard page (5)",
            Request::FirstPage => "first page of activities",
        }
    }
}

/// What the requests refer to: the strategy, the deep cursor, and an activity per client to update.
pub struct Fixtures {
    strategy: String,
    deep_cursor: String,
    /// The deep cursor's row number.
    pub deep_row: u64,
    activities: Vec<String>,
}

impl Fixtures {
    /// Reads them from the database.
    pub async fn load(db: &DatabaseConnection, clients: usize) -> anyhow::Result<Fixtures> {
        let strategy = strategy::Entity::find()
            .order_by_asc(strategy::Column::Id)
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no strategy: is the demo data loaded?"))?;
        let count = activity::Entity::find().count(db).await?;
        let deep_row = 40_000.min(count * 4 / 5).max(1);
        let ids: Vec<Uuid> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .order_by_asc(activity::Column::Id)
            .offset(deep_row - 1)
            .limit(1)
            .into_tuple()
            .all(db)
            .await?;
        let deep = ids.first().ok_or_else(|| anyhow::anyhow!("no activities"))?;
        let updated: Vec<Uuid> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .order_by_desc(activity::Column::Id)
            .limit(clients as u64 + 1)
            .into_tuple()
            .all(db)
            .await?;
        Ok(Fixtures {
            strategy: id::encode(NodeType::Strategy, strategy.id),
            deep_cursor: encode_cursor(*deep),
            deep_row,
            activities: updated
                .into_iter()
                .map(|id| id::encode(NodeType::Activity, id))
                .collect(),
        })
    }

    /// The JSON body of `request`, for client `client` whose activity is at `version`.
    pub fn body(&self, request: Request, client: usize, version: i64) -> Bytes {
        let (query, variables) = match request {
            Request::StandardPage => (standard_page(50), json!({})),
            Request::StandardPageOf5 => (standard_page(5), json!({})),
            Request::Statistics => (STATISTICS.to_owned(), json!({})),
            Request::Coverage => (COVERAGE.to_owned(), json!({ "strategy": self.strategy })),
            Request::Search => (SEARCH.to_owned(), json!({})),
            Request::DeepPage => (ACTIVITY_PAGE.to_owned(), json!({ "after": self.deep_cursor })),
            Request::FirstPage => (ACTIVITY_PAGE.to_owned(), json!({ "after": null })),
            Request::Update => {
                let activity = &self.activities[client % self.activities.len()];
                let day = 1 + version % 28;
                let input = json!({ "activityId": activity, "expectedVersion": version,
                                    "plannedEnd": format!("2027-06-{day:02}") });
                (UPDATE.to_owned(), json!({ "input": input }))
            }
        };
        Bytes::from(json!({ "query": query, "variables": variables }).to_string())
    }
}

/// The activity's version after an `updateActivity` answer, or why it failed.
pub fn updated_version(body: &[u8]) -> anyhow::Result<i64> {
    let value: Value = serde_json::from_slice(body)?;
    let payload = &value["data"]["updateActivity"];
    if payload["userErrors"].as_array().is_some_and(|e| !e.is_empty()) {
        anyhow::bail!("updateActivity refused: {}", payload["userErrors"]);
    }
    payload["activity"]["version"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no version in {value}"))
}

/// The current version of each client's activity, as the server has it.
pub async fn versions(db: &DatabaseConnection, fixtures: &Fixtures) -> anyhow::Result<Vec<i64>> {
    let mut versions = Vec::new();
    for global in &fixtures.activities {
        let (_, uuid) = id::decode(global)?;
        let found = activity::Entity::find_by_id(uuid)
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("activity {global} is gone"))?;
        versions.push(i64::from(found.version));
    }
    Ok(versions)
}
