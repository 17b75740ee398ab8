// Kartla's own schema lint rule: every @deprecated reason says from when, as a date (YYYY-MM-DD), so a
// client can tell how long it has had to move and the CHANGELOG can say when the removal may come.
"use strict";

const { ValidationError } = require("graphql-schema-linter/lib/validation_error");

const DATE = /\b\d{4}-\d{2}-\d{2}\b/;

function DeprecationsHaveADate(context) {
  function check(node, ancestors, what) {
    const deprecated = (node.directives || []).find((d) => d.name.value === "deprecated");
    if (!deprecated) return;
    const reason = (deprecated.arguments || []).find((a) => a.name.value === "reason");
    if (reason && reason.value.kind === "StringValue" && DATE.test(reason.value.value)) return;
    const owner = ancestors
      .filter((a) => a && a.name && a.name.value)
      .map((a) => a.name.value)
      .concat(node.name.value)
      .join(".");
    context.reportError(
      new ValidationError(
        "deprecations-have-a-date",
        `The ${what} \`${owner}\` is deprecated without a date in its reason: write when, as YYYY-MM-DD.`,
        [deprecated],
      ),
    );
  }
  return {
    FieldDefinition: (node, key, parent, path, ancestors) => check(node, ancestors, "field"),
    InputValueDefinition: (node, key, parent, path, ancestors) => check(node, ancestors, "argument or input field"),
    EnumValueDefinition: (node, key, parent, path, ancestors) => check(node, ancestors, "enum value"),
  };
}

module.exports = { DeprecationsHaveADate };
