/**
 * V8 flags the app server and the worker run with. A larger young generation: ingest keeps a
 * snapshot's parsed objects (hundreds of MB) alive from upload to evaluation, and with V8's default
 * 16 MB semi-spaces every scavenge copies the newest of them again. Measured on the 100,000-object
 * ingest (bench/ingest-end-to-end.ts, the same flags on both sides): the next snapshot end to end
 * from 5.3–6.1 s to 4.7–5.0 s, the upload alone 3.1–3.2 s to 2.4 s (docs/performance.md).
 *
 * `npm start`, `npm run worker` and the Dockerfile set the same (a unit test holds them to this);
 * scripts that start the server themselves (demo, browser tests, benchmarks) pass these.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=32"];
