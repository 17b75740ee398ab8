// Compares the schema a live Kartla serves by introspection with the checked-in schema.graphql, both
// printed by graphql-js, so that descriptions, directives such as @specifiedBy and the schema's own
// description must agree, not only the types. Run from a folder whose node_modules has graphql:
//   (cd examples/typescript && node ../../scripts/introspection.mjs http://127.0.0.1:8080/graphql ../../schema.graphql)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(`${process.cwd()}/`);
const { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema } = require("graphql");

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error("usage: introspection.mjs URL SCHEMA_FILE");
  process.exit(2);
}
const response = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, schemaDescription: true }) }),
});
const answer = await response.json();
if (!answer.data) {
  console.error("introspection failed:", JSON.stringify(answer));
  process.exit(1);
}
const served = printSchema(buildClientSchema(answer.data));
const checkedIn = printSchema(buildSchema(readFileSync(file, "utf8")));
if (served !== checkedIn) {
  const a = served.split("\n");
  const b = checkedIn.split("\n");
  const at = a.findIndex((line, i) => line !== b[i]);
  console.error(`the served schema and ${file} differ from line ${at + 1}:`);
  console.error(`  served:     ${a[at]}`);
  console.error(`  checked in: ${b[at]}`);
  process.exit(1);
}
console.log(`ok: introspection and ${file} are the same schema (${a_len(served)} lines)`);

function a_len(text) {
  return text.split("\n").length;
}
