// A Kartla webhook receiver in TypeScript, verified with the Standard Webhooks reference package.
//
// As a receiver:  KARTLA_WEBHOOK_SECRET=whsec_... node dist/webhook-receiver.js 8000
//   Verifies every delivery (signature and timestamp), drops repeats by their webhook-id, logs each event
//   and answers 204; a delivery that does not verify gets 401 and is not acted on.
// As a check (scripts/examples.sh runs it against `kartla serve --webhook-allow-insecure-targets`):
//   KARTLA_URL=... KARTLA_TOKEN=... node dist/webhook-receiver.js --check
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

interface ChangeEvent {
  position: string;
  operation: string;
  recordType: string;
  recordId: string;
}

class Receiver {
  private webhook?: Webhook;
  private readonly seen = new Set<string>();
  readonly events: ChangeEvent[] = [];

  trust(secret: string): void {
    // The package takes the secret without its whsec_ prefix.
    this.webhook = new Webhook(secret.replace(/^whsec_/, ""));
  }

  handle(body: string, headers: IncomingHttpHeaders): number {
    if (!this.webhook) return 503;
    let payload: { type: string; data: ChangeEvent };
    try {
      payload = this.webhook.verify(body, {
        "webhook-id": String(headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(headers["webhook-signature"] ?? ""),
      }) as typeof payload;
    } catch (error) {
      console.error(`refused a delivery: ${error}`);
      return 401;
    }
    const id = String(headers["webhook-id"]);
    if (this.seen.has(id)) return 204; // a retry of something already handled
    this.seen.add(id);
    this.events.push(payload.data);
    console.log(`${payload.type}: ${payload.data.recordId} at position ${payload.data.position}`);
    return 204;
  }
}

function serve(receiver: Receiver, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.statusCode = receiver.handle(Buffer.concat(chunks).toString("utf8"), request.headers);
      response.end();
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

async function graphql(query: string, variables: object): Promise<any> {
  const response = await fetch(process.env.KARTLA_URL ?? "http://127.0.0.1:8080/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.KARTLA_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data?: any; errors?: unknown[] };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

async function check(): Promise<void> {
  const receiver = new Receiver(); // its secret is known once the endpoint exists
  const server = await serve(receiver, 0);
  const port = (server.address() as AddressInfo).port;
  const created = (
    await graphql(
      `mutation RegisterReceiver($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
         secret userErrors { code message } } }`,
      { input: { url: `http://127.0.0.1:${port}/kartla`, filter: { types: ["ORGANISATION"] } } },
    )
  ).createWebhookEndpoint;
  if (created.userErrors.length > 0) throw new Error(JSON.stringify(created.userErrors));
  receiver.trust(created.secret);
  const made: string[] = [];
  for (let n = 0; n < 3; n++) {
    const answer = await graphql(
      `mutation CreateVendorForReceiver($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
         organisation { id } userErrors { code } } }`,
      { input: { kind: "VENDOR", country: "NO", name: [{ lang: "nb", text: `Webhookmottaker ${n}` }] } },
    );
    made.push(answer.createOrganisation.organisation.id);
  }
  const deadline = Date.now() + 60_000;
  while (receiver.events.length < 3) {
    if (Date.now() > deadline) throw new Error(`only ${receiver.events.length} of 3 events arrived within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const got = receiver.events.map((e) => e.recordId);
  const positions = receiver.events.map((e) => Number(e.position));
  if (JSON.stringify(got) !== JSON.stringify(made)) throw new Error(`events ${got} for ${made}`);
  if (positions.some((p, i) => i > 0 && p <= positions[i - 1]!)) throw new Error(`out of order: ${positions}`);
  server.close();
  console.log(`3 deliveries verified with standardwebhooks, in order (positions ${positions.join(", ")})`);
}

if (process.argv[2] === "--check") {
  await check();
} else {
  const secret = process.env.KARTLA_WEBHOOK_SECRET;
  if (!secret) throw new Error("set KARTLA_WEBHOOK_SECRET to the endpoint's whsec_ secret");
  const receiver = new Receiver();
  receiver.trust(secret);
  const port = Number(process.argv[2] ?? 8000);
  await serve(receiver, port);
  console.log(`listening on http://127.0.0.1:${port}/`);
}
