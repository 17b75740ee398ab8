"""Kartla from Python with gql, as an agency's or a vendor's integration would use it.

    KARTLA_URL=http://127.0.0.1:8080/graphql KARTLA_TOKEN=kartla_... python main.py

It reads the demo data, subscribes to the change feed, changes an activity with a token, sees its own
change arrive, and exits non-zero if any answer is not what the demo data says. Every operation is
checked against Kartla's schema.graphql before it is sent, so a schema change that breaks it fails here.
"""

import asyncio
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from gql import Client, GraphQLRequest, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

URL = os.environ.get("KARTLA_URL", "http://127.0.0.1:8080/graphql")
TOKEN = os.environ.get("KARTLA_TOKEN")
SCHEMA = (Path(__file__).parent / "../../schema.graphql").read_text(encoding="utf-8")

MUNICIPALITY_COUNT = """
query MunicipalityCount($country: CountryCode!) {
  organisations(filter: {country: [$country], kinds: [MUNICIPALITY]}) { totalCount }
}"""

MUNICIPALITY_BY_CODE = """
query MunicipalityByCode($code: String!) {
  organisations(filter: {identifier: $code}) { nodes { id name parent { id name } } }
}"""

JOINABLE_ACTIVITIES = """
query JoinableActivities($county: ID!) {
  activities(filter: {region: $county, status: [DECIDED, ONGOING]}, first: 20) {
    totalCount
    nodes { id version title status participants { totalCount } initiative { title } }
  }
}"""

FEED_HEAD = "query FeedHead { changes(last: 1) { edges { cursor } } }"

DESCRIBE_ACTIVITY = """
mutation DescribeActivity($id: ID!, $expectedVersion: Int!, $text: String!) {
  updateActivity(input: {activityId: $id, expectedVersion: $expectedVersion,
                         description: [{lang: "nb", text: $text}]}) {
    activity { id version description(lang: "nb") }
    userErrors { field code message currentVersion }
  }
}"""

ACTIVITY_CHANGES = """
subscription ActivityChanges($after: String) {
  registryChanged(after: $after, filter: {types: [ACTIVITY]}) {
    position operation recordType recordId version
  }
}"""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"unexpected answer: {what}")
    print(f"ok: {what}")


def request(document: str, **variables) -> GraphQLRequest:
    return GraphQLRequest(gql(document), variable_values=variables)


def client(token: str | None = None) -> Client:
    headers = {"Accept-Language": "nb"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Client(transport=AIOHTTPTransport(url=URL, headers=headers), schema=SCHEMA)


async def first_change(session, after: str | None, activity_id: str, version: int) -> dict:
    """The subscription's first event for `activity_id` at `version`."""
    async for event in session.subscribe(request(ACTIVITY_CHANGES, after=after)):
        change = event["registryChanged"]
        if change["recordId"] == activity_id and change["version"] == version:
            return change
    raise SystemExit("unexpected answer: the subscription ended before the change arrived")


async def main() -> None:
    if not TOKEN:
        sys.exit("set KARTLA_TOKEN to an editor or admin token (kartla token create --role admin ...)")

    async with client() as anonymous, client(TOKEN) as editor:
        sweden = await anonymous.execute(request(MUNICIPALITY_COUNT, country="SE"))
        check(sweden["organisations"]["totalCount"] == 290, "Sweden has 290 municipalities")
        norway = await anonymous.execute(request(MUNICIPALITY_COUNT, country="NO"))
        check(norway["organisations"]["totalCount"] == 357, "Norway has 357 municipalities")

        found = await anonymous.execute(request(MUNICIPALITY_BY_CODE, code="4602"))
        kinn = found["organisations"]["nodes"][0]
        check(kinn["name"] == "Kinn" and kinn["parent"]["name"] == "Vestland", "4602 is Kinn, in Vestland")

        joinable = (await anonymous.execute(request(JOINABLE_ACTIVITIES, county=kinn["parent"]["id"])))["activities"]
        check(joinable["nodes"] != [], f"{joinable['totalCount']} activities to join in Vestland")
        for a in joinable["nodes"]:
            print(f"  {a['status']} {a['title']} ({a['participants']['totalCount']} participants)")
        activity = joinable["nodes"][0]

        # Subscribe from the feed's current head, so the change below arrives even if it commits before
        # the subscription has started.
        head = (await anonymous.execute(request(FEED_HEAD)))["changes"]["edges"]
        after = head[-1]["cursor"] if head else None
        # Kartla speaks graphql-transport-ws and the older graphql-ws protocol. Name the current one: gql
        # 4.4 looks for the server's choice under "Sec-WebSocket-Protocol" spelt exactly so, misses the
        # lower-case header name servers send, and would fall back to the older protocol.
        live = Client(
            transport=WebsocketsTransport(
                url=URL.replace("http", "ws", 1),
                init_payload={"Authorization": f"Bearer {TOKEN}"},
                subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
            ),
            schema=SCHEMA,
        )
        async with live as session:
            arrival = asyncio.create_task(first_change(session, after, activity["id"], activity["version"] + 1))

            # Writing without a token is a top-level UNAUTHENTICATED error: gql raises TransportQueryError.
            text = f"Oppdatert av Python-eksempelet {datetime.now(timezone.utc).isoformat()}."
            describe = request(DESCRIBE_ACTIVITY, id=activity["id"], expectedVersion=activity["version"], text=text)
            try:
                await anonymous.execute(describe)
                code = "accepted"
            except TransportQueryError as error:
                code = (error.errors or [{}])[0].get("extensions", {}).get("code")
            check(code == "UNAUTHENTICATED", "a mutation without a token is refused with UNAUTHENTICATED")

            changed = (await editor.execute(describe))["updateActivity"]
            check(changed["userErrors"] == [], "updateActivity has no user errors")
            version = changed["activity"]["version"]
            check(version == activity["version"] + 1, f"the activity is now version {version}")
            check(changed["activity"]["description"] == text, "the new description reads back")

            # Invalid input is not an exception but a user error in the payload: here the version is stale.
            stale = (await editor.execute(describe))["updateActivity"]["userErrors"]
            check(
                stale != [] and stale[0]["code"] == "CONFLICT" and stale[0]["currentVersion"] == version,
                "a stale version is a CONFLICT",
            )

            try:
                change = await asyncio.wait_for(arrival, timeout=10)
            except TimeoutError:
                raise SystemExit("unexpected answer: no change arrived on the subscription within 10 s")
            check(change["operation"] == "UPDATE", f"the subscription delivered the change (version {version})")
    print("the Python example ran against", URL)


if __name__ == "__main__":
    asyncio.run(main())
