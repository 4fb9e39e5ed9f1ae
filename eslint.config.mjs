import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Floor 1 (the pure core) must not reach I/O, the database or the framework.
const pureCoreRestrictions = {
  patterns: [
    { group: ["node:fs", "node:fs/*", "fs", "fs/*", "node:net", "node:http", "node:https", "node:dns", "node:child_process", "node:tls"], message: "The pure core does no I/O: move this to an edge." },
    { group: ["@prisma/*", "pg", "@/lib/db/*", "next", "next/*", "react", "react/*"], message: "The pure core has no database or framework imports." },
  ],
};

const config = [
  { ignores: [".next/**", "node_modules/**", ".data/**", "lib/db/generated/**", "agents/dist/**", "bench/out/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["lib/engine/**/*.ts", "lib/snapshot/**/*.ts", "lib/domain-check/rules/**/*.ts"],
    ignores: ["**/*.test.ts", "lib/engine/cli/**", "lib/engine/io/**"],
    rules: { "no-restricted-imports": ["error", pureCoreRestrictions] },
  },
];

export default config;
