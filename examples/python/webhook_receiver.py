"""A Kartla webhook receiver, verified with the Standard Webhooks reference package.

As a receiver:  KARTLA_WEBHOOK_SECRET=whsec_... python webhook_receiver.py --port 8000
  Verifies every delivery (signature and timestamp), drops repeats by their webhook-id, prints each
  event and answers 204; a delivery that does not verify gets 401 and is not acted on.

As a check (scripts/examples.sh runs it against a live `kartla serve --webhook-allow-insecure-targets`):
  KARTLA_URL=... KARTLA_TOKEN=... python webhook_receiver.py --check
  Starts the receiver on a free port, registers it with createWebhookEndpoint, creates three
  organisations, and waits until their events have arrived, verified and in feed order.
"""

import argparse
import json
import os
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    """Verifies deliveries and keeps each event once, by its webhook-id."""

    def __init__(self, secret: str | None = None):
        self.webhook = Webhook(secret) if secret else None
        self.seen: set[str] = set()
        self.events: list[dict] = []
        self.lock = threading.Lock()

    def trust(self, secret: str) -> None:
        self.webhook = Webhook(secret)

    def handle(self, body: bytes, headers: dict) -> int:
        if self.webhook is None:
            return 503
        try:
            payload = self.webhook.verify(body, headers)
        except WebhookVerificationError as error:
            print(f"refused a delivery: {error}", file=sys.stderr)
            return 401
        with self.lock:
            message_id = headers["webhook-id"]
            if message_id in self.seen:
                return 204  # a retry of something already handled
            self.seen.add(message_id)
            self.events.append(payload["data"])
        event = payload["data"]
        print(f"{payload['type']}: {event['recordId']} at position {event['position']}")
        return 204


def serve(receiver: Receiver, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.send_response(receiver.handle(body, headers))
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def graphql(query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        os.environ["KARTLA_URL"],
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {os.environ['KARTLA_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    if answer.get("errors"):
        raise RuntimeError(answer["errors"])
    return answer["data"]


def check() -> None:
    receiver = Receiver()  # its secret is known once the endpoint exists
    server = serve(receiver, 0)
    port = server.server_address[1]
    created = graphql(
        """mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
             secret webhookEndpoint { id } userErrors { code message } } }""",
        {"input": {"url": f"http://127.0.0.1:{port}/kartla", "description": "the Python check",
                   "filter": {"types": ["ORGANISATION"]}}},
    )["createWebhookEndpoint"]
    if created["userErrors"]:
        raise RuntimeError(created["userErrors"])
    receiver.trust(created["secret"])
    made = []
    for n in range(3):
        answer = graphql(
            """mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
                 organisation { id } userErrors { code } } }""",
            {"input": {"kind": "VENDOR", "country": "SE", "name": [{"lang": "sv", "text": f"Webhookmottagare {n}"}]}},
        )
        made.append(answer["createOrganisation"]["organisation"]["id"])
    deadline = time.monotonic() + 60
    while len(receiver.events) < 3:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(receiver.events)} of 3 events arrived within 60 s")
        time.sleep(0.05)
    got = [event["recordId"] for event in receiver.events]
    positions = [int(event["position"]) for event in receiver.events]
    assert got == made, (got, made)
    assert positions == sorted(positions), positions
    server.shutdown()
    print(f"3 deliveries verified with standardwebhooks, in order (positions {positions})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        check()
        return
    server = serve(Receiver(os.environ["KARTLA_WEBHOOK_SECRET"]), args.port)
    print(f"listening on http://127.0.0.1:{args.port}/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
