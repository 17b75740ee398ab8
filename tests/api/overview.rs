//! The overview pages under `/overview`, read as HTML through the real router on the demo data: what each
//! page type shows, that every count on a strategy's page is the total of the list it links to, the
//! languages, the failures (bad and unknown IDs, bad filters), and that no contact detail is shown. The
//! pages in a browser: `overview_browser.rs`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kartla::config::InitialSeed;
use kartla::entity::enums::Status;
use kartla::entity::{initiative, initiative_goal};
use kartla::service::id::{NodeType, encode};
use kartla::service::seed::seed_id;
use sea_orm::{ActiveModelTrait, Set};
use tower::ServiceExt;

use crate::helpers::{TestApp, TestDb, insert_contact, insert_initiative};
use crate::on_every_backend;

/// A page's status, `Content-Security-Policy` and HTML.
pub struct Html {
    pub status: StatusCode,
    pub policy: String,
    pub text: String,
}

/// GETs `path` with an optional `Accept-Language`.
pub async fn get(app: &TestApp, path: &str, accept_language: Option<&str>) -> Html {
    let mut request = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(lang) = accept_language {
        request = request.header(header::ACCEPT_LANGUAGE, lang);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("a request"))
        .await
        .expect("the router answers");
    let status = response.status();
    let policy = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    Html {
        status,
        policy,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// GETs a page that must be there.
async fn page(app: &TestApp, path: &str) -> String {
    let html = get(app, path, None).await;
    assert_eq!(html.status, StatusCode::OK, "{path}: {}", html.text);
    assert!(html.policy.contains("script-src 'self'"), "{path}: {}", html.policy);
    html.text
}

/// The IDs of the demo records the pages are about.
pub struct DemoIds {
    pub swedish_strategy: String,
    pub norwegian_initiative: String,
    pub skr: String,
    pub vestland: String,
}

/// Finds the demo's Swedish strategy, Norwegian initiative, SKR and Vestland through the API.
pub async fn demo_ids(app: &TestApp) -> DemoIds {
    let data = app
        .query(
            r#"{ strategies(filter: {country: ["SE"]}) { nodes { id } }
                 initiatives(filter: {country: ["NO"]}) { nodes { id } }
                 skr: organisations(filter: {query: "SKR"}) { nodes { id } }
                 vestland: organisations(filter: {kinds: [COUNTY], query: "Vestland"}) { nodes { id } } }"#,
        )
        .await;
    let first = |path: &[&str]| {
        let mut value = &data;
        for key in path {
            value = &value[*key];
        }
        value["nodes"][0]["id"].as_str().expect("an ID").to_owned()
    };
    DemoIds {
        swedish_strategy: first(&["strategies"]),
        norwegian_initiative: first(&["initiatives"]),
        skr: first(&["skr"]),
        vestland: first(&["vestland"]),
    }
}

/// `&amp;` back to `&` in an attribute maud escaped.
fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
}

/// Every link to a list on a page with the number it shows: (href, number).
fn count_links(html: &str, list: &str) -> Vec<(String, i64)> {
    let marker = format!("href=\"{list}?");
    html.match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &html[at + 6..];
            let end = rest.find('"')?;
            let href = unescape(&rest[..end]);
            let text = &rest[end..];
            let text = &text[text.find('>')? + 1..];
            let number: String = text.chars().take_while(char::is_ascii_digit).collect();
            Some((href, number.parse().ok()?))
        })
        .collect()
}

/// The link that follows `marker` on a page.
fn link_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)? + marker.len();
    let end = html[at..].find('"')?;
    Some(unescape(&html[at..at + end]))
}

/// The total a list page states.
fn list_total(html: &str) -> i64 {
    let at = html.find("<p class=\"total\">").expect("a total") + "<p class=\"total\">".len();
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number")
}

on_every_backend!(the_pages_show_the_demo_registry, every_count_is_the_total_of_its_list);

async fn the_pages_show_the_demo_registry(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let ids = demo_ids(&app).await;

    let home = page(&app, "/overview").await;
    for text in [
        "Sweden",
        "Norway",
        "skolDigiplan",
        "National digitalisation strategy for the school system",
    ] {
        assert!(home.contains(text), "the first page names {text}");
    }

    let strategy = page(&app, &format!("/overview/strategies/{}", ids.swedish_strategy)).await;
    for text in [
        "Digital kompetens för alla i skolväsendet",
        "Likvärdig tillgång och användning",
        "2017-10-19",
    ] {
        assert!(strategy.contains(text), "the strategy page shows {text}");
    }
    // The demo links no initiative to a goal: all nine goals are gaps (and the legend shows the mark once).
    assert_eq!(strategy.matches("class=\"mark mark-gap\"").count(), 9 + 1);

    let list = page(&app, "/overview/initiatives").await;
    assert_eq!(list_total(&list), 5);
    for text in [
        "skolDigiplan",
        "Swedish Association of Local Authorities and Regions (SKR)",
        "Implementer",
        "Accepted",
    ] {
        assert!(list.contains(text), "the list shows {text}");
    }
    let norwegian = page(&app, "/overview/initiatives?country=NO").await;
    assert_eq!(list_total(&norwegian), 1);
    assert!(norwegian.contains("Shared standards and sharing solutions"));
    let by_role = page(
        &app,
        &format!("/overview/initiatives?organisation={}&role=IMPLEMENTER", ids.skr),
    )
    .await;
    assert_eq!(list_total(&by_role), 3, "SKR carried out 11, 12 and 13");

    let initiative = page(&app, &format!("/overview/initiatives/{}", ids.norwegian_initiative)).await;
    let vestland_row = initiative
        .split("<tr data-region=")
        .find(|row| row.contains(">Vestland<"))
        .expect("a row for Vestland");
    for cell in ["<td class=\"number\">2</td>", "<td class=\"number\">43</td>", "4.7 %"] {
        assert!(vestland_row.contains(cell), "Vestland's row has {cell}: {vestland_row}");
    }
    assert_eq!(
        initiative.matches("<g class=\"tile ").count(),
        15,
        "a tile for each of Norway's counties"
    );
    let vestland_tile = format!("class=\"tile shade-1\" data-region=\"{}\"", ids.vestland);
    assert!(
        initiative.contains(&vestland_tile),
        "Vestland's tile is in the lightest shade but one"
    );

    let skr = page(&app, &format!("/overview/organisations/{}", ids.skr)).await;
    assert!(skr.contains("Secure and efficient access to digital resources") && skr.contains("Implementer"));
    let vestland = page(&app, &format!("/overview/organisations/{}", ids.vestland)).await;
    assert!(
        vestland.contains(">Bergen<") && vestland.contains("(43)"),
        "Vestland's 43 municipalities"
    );

    let changes = page(&app, "/overview/changes?type=INITIATIVE").await;
    assert_eq!(
        changes.matches("<tr><th scope=\"row\"><time").count(),
        5,
        "five initiatives were created"
    );
    let everything = page(&app, "/overview/changes").await;
    let older = link_after(&everything, "rel=\"next\" href=\"").expect("the demo has more than one page of changes");
    let second = page(&app, &older).await;
    assert!(
        second.contains("rel=\"prev\""),
        "the older page links back to newer changes"
    );
}

async fn every_count_is_the_total_of_its_list(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let strategy = seed_id(&["demo", "strategy", "se-2017"]);
    let goal = |code: &str| seed_id(&["demo", "goal", &strategy.to_string(), code]);
    let initiative = |number: &str| seed_id(&["demo", "initiative", "skoldigiplan", number]);
    // 1 (DECIDED) serves 1.2 and 2.2; 11 (COMPLETED, with an ONGOING activity) serves 2.2.
    for (initiative_id, goal_id) in [
        (initiative("1"), goal("1.2")),
        (initiative("1"), goal("2.2")),
        (initiative("11"), goal("2.2")),
    ] {
        initiative_goal::ActiveModel {
            initiative_id: Set(initiative_id),
            goal_id: Set(goal_id),
        }
        .insert(&app.db)
        .await
        .expect("a link");
    }
    crate::helpers::insert_activity(&app.db, initiative("11"), Status::Ongoing).await;
    crate::helpers::insert_activity(&app.db, initiative("1"), Status::Proposed).await;

    let html = page(
        &app,
        &format!("/overview/strategies/{}", encode(NodeType::Strategy, strategy)),
    )
    .await;
    assert_eq!(
        html.matches("class=\"mark mark-gap\"").count(),
        7 + 1,
        "two goals are served"
    );
    assert_eq!(html.matches("class=\"mark mark-decided\"").count(), 2 + 1);
    let mut checked = 0;
    for list in ["/overview/initiatives", "/overview/activities"] {
        for (href, count) in count_links(&html, list) {
            let listed = page(&app, &href).await;
            assert_eq!(list_total(&listed), count, "{href}");
            checked += 1;
        }
    }
    // Nine goals' totals in both columns, and the counts by status of the two goals served.
    assert!(checked >= 2 * 9 + 4, "{checked} links checked");
}

on_every_backend!(a_goal_shows_its_first_five_initiatives_and_links_the_rest);

/// A goal of a large registry is served by hundreds of initiatives: its row shows five and links the
/// rest, so the strategy page stays small (at scale 1 listing them all made it 2 MB and 350 ms).
async fn a_goal_shows_its_first_five_initiatives_and_links_the_rest(test_db: TestDb) {
    use sea_orm::{EntityTrait, QuerySelect};
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let strategy = seed_id(&["demo", "strategy", "se-2017"]);
    let goal = seed_id(&["demo", "goal", &strategy.to_string(), "1.2"]);
    let mut initiatives: Vec<uuid::Uuid> = initiative::Entity::find()
        .select_only()
        .column(initiative::Column::Id)
        .into_tuple()
        .all(&app.db)
        .await
        .expect("the demo's initiatives");
    for _ in 0..2 {
        initiatives.push(insert_initiative(&app.db, Status::Proposed).await);
    }
    assert_eq!(initiatives.len(), 7, "the demo's five and two more");
    for initiative_id in &initiatives {
        initiative_goal::ActiveModel {
            initiative_id: Set(*initiative_id),
            goal_id: Set(goal),
        }
        .insert(&app.db)
        .await
        .expect("a link");
    }

    let html = page(
        &app,
        &format!("/overview/strategies/{}", encode(NodeType::Strategy, strategy)),
    )
    .await;
    let served = html
        .split("<ul class=\"served-by\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("the goal's initiatives");
    assert_eq!(served.matches("href=\"/overview/initiatives/").count(), 5, "{served}");
    let more = link_after(served, "<li class=\"more\"><a href=\"").expect("a link to the rest");
    assert!(served.contains("+ 2 more"), "{served}");
    assert_eq!(list_total(&page(&app, &more).await), 7, "{more} lists all seven");
}

on_every_backend!(pages_speak_the_readers_language_and_refuse_bad_urls);

async fn pages_speak_the_readers_language_and_refuse_bad_urls(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let ids = demo_ids(&app).await;

    let swedish = get(&app, "/overview?lang=sv", None).await;
    assert!(swedish.text.contains("<html lang=\"sv\">") && swedish.text.contains("Initiativ efter status"));
    assert!(
        swedish.text.contains("href=\"/overview/initiatives?lang=sv\""),
        "links keep the chosen language"
    );
    let norwegian = get(&app, "/overview", Some("nn-NO, en;q=0.5")).await;
    assert!(norwegian.text.contains("<html lang=\"nb\">") && norwegian.text.contains("Tiltak etter status"));
    let fallback = get(&app, "/overview", Some("fi")).await;
    assert!(fallback.text.contains("<html lang=\"en\">"));
    // The data follow the API's rules: the Norwegian initiative's title in Bokmål when asked for.
    let title = app
        .graphql_with(
            &format!(
                r#"{{ node(id: "{}") {{ ... on Initiative {{ title(lang: "nb") }} }} }}"#,
                ids.norwegian_initiative
            ),
            serde_json::json!({}),
            None,
        )
        .await["data"]["node"]["title"]
        .as_str()
        .expect("a title")
        .to_owned();
    let page_nb = get(
        &app,
        &format!("/overview/initiatives/{}?lang=nb", ids.norwegian_initiative),
        None,
    )
    .await;
    assert!(page_nb.text.contains(&title), "{title}");

    let cases = [
        ("/overview?lang=fi", StatusCode::BAD_REQUEST, "sv, nb and en"),
        (
            "/overview/initiatives?status=STARTED",
            StatusCode::BAD_REQUEST,
            "is not one of",
        ),
        (
            "/overview/initiatives?after=nonsense",
            StatusCode::BAD_REQUEST,
            "cursor",
        ),
        (
            "/overview/initiatives?organisation=nonsense",
            StatusCode::BAD_REQUEST,
            "nonsense",
        ),
        ("/overview/initiatives/nonsense", StatusCode::BAD_REQUEST, "nonsense"),
        ("/overview/strategies/nonsense", StatusCode::BAD_REQUEST, "nonsense"),
        (
            "/overview/changes?type=PERSON",
            StatusCode::BAD_REQUEST,
            "is not one of",
        ),
        ("/overview/assets/../Cargo.toml", StatusCode::NOT_FOUND, ""),
    ];
    for (path, status, says) in cases {
        let html = get(&app, path, None).await;
        assert_eq!(html.status, status, "{path}: {}", html.text);
        assert!(html.text.contains(says), "{path} says why: {}", html.text);
    }
    let nobody = encode(NodeType::Initiative, uuid::Uuid::new_v4());
    let not_found = get(&app, &format!("/overview/initiatives/{nobody}?lang=sv"), None).await;
    assert_eq!(not_found.status, StatusCode::NOT_FOUND);
    assert!(not_found.text.contains("Hittades inte"));
    // A record of another type under an initiative's path is not an initiative.
    let wrong_type = get(&app, &format!("/overview/initiatives/{}", ids.skr), None).await;
    assert_eq!(wrong_type.status, StatusCode::NOT_FOUND);
}

on_every_backend!(anonymous_readers_see_no_contact_details);

async fn anonymous_readers_see_no_contact_details(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let ids = demo_ids(&app).await;
    let initiative = seed_id(&["demo", "initiative", "skoldigiplan", "1"]);
    insert_contact(&app.db, initiative).await;
    let paths = [
        format!("/overview/initiatives/{}", encode(NodeType::Initiative, initiative)),
        format!("/overview/initiatives/{}", ids.norwegian_initiative),
        "/overview/initiatives".to_owned(),
        "/overview/changes".to_owned(),
        format!("/overview/organisations/{}", ids.skr),
    ];
    for path in paths {
        let html = page(&app, &path).await;
        assert!(
            !html.contains("kari@example.no") && !html.contains("22 00 00 00"),
            "{path} shows no contact detail"
        );
    }
}
