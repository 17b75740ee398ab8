// Types for the example's operations, generated from Kartla's schema.graphql (the file the server's
// tests keep current), so a change to the schema that breaks this client fails `npm run build`.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      config: {
        // Kartla's own scalars travel as strings in JSON.
        scalars: {
          CountryCode: "string",
          Date: "string",
          DateTime: "string",
          LanguageTag: "string",
        },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  emitLegacyCommonJSImports: false,
};

export default config;
