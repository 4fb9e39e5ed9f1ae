import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// The domain check's fixtures (test CAs, fixture DNS and web servers, the port-mapping test policy) are for
// tests only: the app, the CLI and scripts must never be able to reach private targets through them.
const TESTING_ONLY = "lib/domain-check/testing is for tests only (it maps ports and allows private targets).";
const testingPatterns = (relative) => ({
  group: ["@/lib/domain-check/testing", "@/lib/domain-check/testing/*", "**/domain-check/testing", "**/domain-check/testing/*", ...(relative ? ["./testing", "./testing/*", "../testing", "../testing/*", "../../testing/*"] : [])],
  message: TESTING_ONLY,
});
const testingPaths = (relative) =>
  ["@/lib/domain-check/policy", ...(relative ? ["./policy", "../policy", "../../policy"] : [])].map((name) => ({ name, importNames: ["unsafeTestTargetPolicy"], message: TESTING_ONLY }));
const domainCheckTestingRestriction = (relative) => ({ patterns: [testingPatterns(relative)], paths: testingPaths(relative) });

// Floor 1 (the pure core) must not reach I/O, the database or the framework. Bare module names go in `paths`
// (exact names): as gitignore-style patterns, "http" would also match the core's own "./http".
const NO_IO = "The pure core does no I/O: move this to an edge.";
const ioModules = ["fs", "net", "http", "https", "dns", "child_process", "tls", "dgram", "zlib"];
const pureCoreRestrictions = {
  patterns: [
    { group: [...ioModules.map((m) => `node:${m}`), "node:fs/*", "node:dns/*", "fs/*", "dns/*"], message: NO_IO },
    { group: ["@prisma/*", "@/lib/db/*", "next/*", "react/*"], message: "The pure core has no database or framework imports." },
    testingPatterns(true),
  ],
  paths: [
    ...ioModules.map((name) => ({ name, message: NO_IO })),
    ...["pg", "next", "react"].map((name) => ({ name, message: "The pure core has no database or framework imports." })),
    ...testingPaths(true),
  ],
};

const TESTS_AND_FIXTURES = ["**/*.test.ts", "**/*.test.tsx", "lib/domain-check/testing/**", "e2e/**"];

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
  // Later blocks replace the rule for the files they match, so each carries the testing restriction too.
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: TESTS_AND_FIXTURES,
    rules: { "no-restricted-imports": ["error", domainCheckTestingRestriction(false)] },
  },
  {
    files: ["lib/domain-check/**/*.ts"],
    ignores: TESTS_AND_FIXTURES,
    rules: { "no-restricted-imports": ["error", domainCheckTestingRestriction(true)] },
  },
  {
    files: ["lib/engine/**/*.ts", "lib/snapshot/**/*.ts", "lib/domain-check/rules/**/*.ts"],
    ignores: ["**/*.test.ts", "lib/engine/cli/**", "lib/engine/io/**"],
    rules: { "no-restricted-imports": ["error", pureCoreRestrictions] },
  },
];

export default config;
