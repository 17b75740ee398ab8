// Starts GraphiQL against Kartla's own endpoint. Kept in a file of its own (no inline script), so the
// page runs under a Content-Security-Policy of script-src 'self'.
(function () {
  "use strict";
  var example = [
    "# Welcome to Kartla: the registry of Nordic school-digitalisation work.",
    "# Press the run button (or Ctrl-Enter) to ask how many municipalities Sweden has.",
    "{",
    "  organisations(filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}) {",
    "    totalCount",
    "  }",
    "  strategies {",
    "    nodes { name(lang: \"sv\") adoptedOn focusAreas { code name goals { code title } } }",
    "  }",
    "}",
    ""
  ].join("\n");
  var fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: example }));
})();
