-- Hand-written (no change to schema.prisma: Prisma does not model column storage).
-- Chunk bodies are stored as the agent sent them, gzip-compressed. With the default storage
-- (EXTENDED) PostgreSQL first tries to compress each body again (pglz), which fails on
-- compressed data after costing about 6.5 ms of CPU per 500 KB chunk, two thirds of the insert
-- (bench/ingest-end-to-end.ts). EXTERNAL stores them out of line without trying. Only values
-- written from now on are affected; stored chunks stay readable as they are.
ALTER TABLE "SnapshotChunk" ALTER COLUMN "body" SET STORAGE EXTERNAL;
