// Kartla from TypeScript, as a frontend or an integration would use it:
//   KARTLA_URL=http://127.0.0.1:8080/graphql KARTLA_TOKEN=kartla_... npm run example
// It reads the demo data, subscribes to the change feed, changes an activity with a token, sees its own
// change arrive, and exits non-zero if any answer is not what the demo data says.
import { ClientError, GraphQLClient } from "graphql-request";
import { createClient } from "graphql-ws";
import { print } from "graphql";
import WebSocket from "ws";

import {
  ActivityChanges,
  DescribeActivity,
  FeedHead,
  JoinableActivities,
  MunicipalityByCode,
  MunicipalityCount,
} from "./operations.js";

const url = process.env.KARTLA_URL ?? "http://127.0.0.1:8080/graphql";
const token = process.env.KARTLA_TOKEN;
if (!token) {
  throw new Error("set KARTLA_TOKEN to an editor or admin token (kartla token create --role admin ...)");
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`unexpected answer: ${what}`);
  console.log(`ok: ${what}`);
}

// Reading needs no token; Accept-Language picks the language of every `title` and `name`.
const anonymous = new GraphQLClient(url, { headers: { "Accept-Language": "nb" } });
const editor = new GraphQLClient(url, {
  headers: { Authorization: `Bearer ${token}`, "Accept-Language": "nb" },
});

const sweden = await anonymous.request(MunicipalityCount, { country: "SE" });
check(sweden.organisations.totalCount === 290, "Sweden has 290 municipalities");
const norway = await anonymous.request(MunicipalityCount, { country: "NO" });
check(norway.organisations.totalCount === 357, "Norway has 357 municipalities");

const kinn = (await anonymous.request(MunicipalityByCode, { code: "4602" })).organisations.nodes[0];
check(kinn?.name === "Kinn" && kinn.parent?.name === "Vestland", "municipality 4602 is Kinn, in Vestland");

const joinable = await anonymous.request(JoinableActivities, { county: kinn.parent.id });
const activity = joinable.activities.nodes[0];
check(activity !== undefined, `${joinable.activities.totalCount} activities to join in Vestland`);
for (const a of joinable.activities.nodes) {
  console.log(`  ${a.status} ${a.title} (${a.participants.totalCount} participants; ${a.initiative?.title})`);
}

// Subscribe from the feed's current head, so the change made below arrives even if it commits before the
// subscription has started.
const head = await anonymous.request(FeedHead);
const after = head.changes.edges.at(-1)?.cursor ?? null;
const live = createClient({
  url: url.replace(/^http/, "ws"),
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  lazy: false,
});
const changes = live.iterate<{ registryChanged: { recordId: string | null; version: number | null } }>({
  query: print(ActivityChanges),
  variables: { after },
});

// Writing without a token is a top-level UNAUTHENTICATED error; graphql-request throws ClientError.
const text = `Oppdatert av TypeScript-eksempelet ${new Date().toISOString()}.`;
const refused = await anonymous
  .request(DescribeActivity, { id: activity.id, expectedVersion: activity.version, text })
  .then(
    () => "accepted",
    (error: unknown) => (error instanceof ClientError ? error.response.errors?.[0]?.extensions?.code : error),
  );
check(refused === "UNAUTHENTICATED", "a mutation without a token is refused with UNAUTHENTICATED");

const changed = await editor.request(DescribeActivity, {
  id: activity.id,
  expectedVersion: activity.version,
  text,
});
check(changed.updateActivity.userErrors.length === 0, "updateActivity has no user errors");
const version = changed.updateActivity.activity?.version;
check(version === activity.version + 1, `the activity is now version ${version}`);
check(changed.updateActivity.activity?.description === text, "the new description reads back");

// Invalid input is not an exception but a user error in the payload: here the version is stale.
const stale = await editor.request(DescribeActivity, {
  id: activity.id,
  expectedVersion: activity.version,
  text,
});
const conflict = stale.updateActivity.userErrors[0];
check(conflict?.code === "CONFLICT" && conflict.currentVersion === version, "a stale version is a CONFLICT");

// The change arrives on the subscription; give up after 10 seconds.
const deadline = setTimeout(() => {
  console.error("unexpected answer: no change arrived on the subscription within 10 s");
  process.exit(1);
}, 10_000);
let delivered = false;
for await (const event of changes) {
  const change = event.data?.registryChanged;
  if (change?.recordId === activity.id && change.version === version) {
    delivered = true;
    break;
  }
}
clearTimeout(deadline);
check(delivered, `the subscription delivered the change (version ${version})`);
await live.dispose();

// A lazy client (graphql-ws's default) opens its socket for its first subscription and closes it, with
// 1000, when its last one is gone; Kartla completes every closing handshake, so each close is clean and
// dispose() settles without an error.
const closes: { code: number; clean: boolean }[] = [];
const failures: unknown[] = [];
const lazy = createClient({
  url: url.replace(/^http/, "ws"),
  webSocketImpl: WebSocket,
  lazyCloseTimeout: 0,
  on: {
    closed: (event) => {
      const close = event as { code: number; wasClean: boolean };
      closes.push({ code: close.code, clean: close.wasClean });
    },
    error: (error) => failures.push(error),
  },
});
for (const round of [1, 2]) {
  const events = lazy.iterate<{ registryChanged: { recordId: string | null } }>({
    query: print(ActivityChanges),
    variables: { after },
  });
  const first = await events.next();
  check(first.value?.data?.registryChanged?.recordId === activity.id, `lazy client, round ${round}: the change arrives`);
  await events.return?.();
}
await lazy.dispose();
const settled = Date.now() + 5_000;
while (closes.length < 2 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 20));
check(
  closes.length === 2 && closes.every((c) => c.code === 1000 && c.clean) && failures.length === 0,
  `each lazy close is a clean 1000 (${JSON.stringify(closes)})`,
);
console.log("the TypeScript example ran against", url);
