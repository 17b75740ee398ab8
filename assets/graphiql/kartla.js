// Starts GraphiQL against Kartla's own endpoint. Kept in a file of its own (no inline script), so the
// page runs under a Content-Security-Policy of script-src 'self'.
(function () {
  "use strict";
  var example = [
    "# Welcome to Kartla, the registry of Nordic",
    "# school-digitalisation work.",
    "# Run this query with the run button or Ctrl-Enter.",
    "# The Docs pane (the book icon) describes every",
    "# type and field; Ctrl-Space completes what you type.",
    "{",
    "  # How many municipalities Sweden has.",
    "  organisations(",
    "    filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}",
    "  ) {",
    "    totalCount",
    "  }",
    "  # Sweden's initiatives (skolDigiplan's among them):",
    "  # their status and who is responsible.",
    "  initiatives(first: 10, filter: {country: [\"SE\"]}) {",
    "    totalCount",
    "    nodes {",
    "      number",
    "      title",
    "      status",
    "      actionPlan { title }",
    "      responsibilities {",
    "        role decision organisation { name }",
    "      }",
    "    }",
    "  }",
    "  # Every initiative, counted by status.",
    "  statistics {",
    "    byStatus { status count }",
    "  }",
    "}",
    ""
  ].join("\n");
  var endpoint = new URL("/graphql", window.location.href);
  var socket = new URL(endpoint.toString());
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
  // Subscriptions run over WebSocket (graphql-transport-ws) and sign in with the Authorization header
  // from the Headers tab, which GraphiQL keeps in localStorage.
  function connectionParams() {
    try {
      var headers = JSON.parse(window.localStorage.getItem("graphiql:headers") || "{}");
      var authorization = headers.Authorization || headers.authorization;
      return authorization ? { Authorization: authorization } : {};
    } catch (error) {
      return {};
    }
  }
  var fetcher = GraphiQL.createFetcher({
    url: endpoint.toString(),
    subscriptionUrl: socket.toString(),
    wsConnectionParams: connectionParams
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: example }));
})();
