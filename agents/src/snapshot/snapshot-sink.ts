/**
 * Where redacted objects go as they are collected: a snapshot file (dry run), the ingest server
 * (run), or both. Collection calls add() per object and finish() once with the header.
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { SNAPSHOT_SCHEMA_VERSION, type KubeObject, type SnapshotHeader } from "@/lib/snapshot/schema";
import { MAX_OBJECT_BYTES } from "./chunk-builder";

export interface SnapshotSink {
  /** Returns false when the object was too large to carry (it is then counted as skipped). */
  add(object: KubeObject): Promise<boolean>;
  finish(header: SnapshotHeader): Promise<void>;
  /** Called instead of finish() when collection fails: nothing half-written stays behind. */
  abort(): Promise<void>;
}

function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text.replace(/\n/g, `\n${pad}`);
}

async function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
}

/**
 * Writes a readable (indented) snapshot JSON: schemaVersion first, objects as they come, the
 * rest of the header at the end. A file is written beside the target and renamed when complete.
 */
export class SnapshotFileSink implements SnapshotSink {
  private readonly stream: NodeJS.WritableStream;
  private readonly partialPath?: string;
  private first = true;
  private started = false;

  constructor(private readonly output: string) {
    if (output === "-") {
      this.stream = process.stdout;
    } else {
      this.partialPath = `${output}.partial`;
      this.stream = createWriteStream(this.partialPath, { mode: 0o600 });
    }
  }

  private async start(schemaVersion: string): Promise<void> {
    if (this.started) return;
    this.started = true;
    await writeTo(this.stream, `{\n  "schemaVersion": ${JSON.stringify(schemaVersion)},\n  "objects": [`);
  }

  async add(object: KubeObject): Promise<boolean> {
    await this.start(SNAPSHOT_SCHEMA_VERSION);
    const pretty = JSON.stringify(object, null, 2);
    // Same limit as the chunks, so a dry run shows exactly what a push would carry.
    if (Buffer.byteLength(JSON.stringify(object)) > MAX_OBJECT_BYTES) return false;
    const text = `${this.first ? "\n" : ",\n"}    ${indent(pretty, 4)}`;
    this.first = false;
    await writeTo(this.stream, text);
    return true;
  }

  async finish(header: SnapshotHeader): Promise<void> {
    await this.start(header.schemaVersion);
    const { schemaVersion: _schemaVersion, ...rest } = header;
    let tail = this.first ? "],\n" : "\n  ],\n";
    const entries = Object.entries(rest);
    entries.forEach(([key, value], i) => {
      tail += `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), 2)}${i < entries.length - 1 ? "," : ""}\n`;
    });
    tail += "}\n";
    await writeTo(this.stream, tail);
    if (this.partialPath) {
      await new Promise<void>((resolve, reject) => {
        (this.stream as WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve()));
      });
      renameSync(this.partialPath, this.output);
    }
  }

  async abort(): Promise<void> {
    if (!this.partialPath) return;
    await new Promise<void>((resolve) => (this.stream as WriteStream).end(() => resolve()));
    rmSync(this.partialPath, { force: true });
  }
}

/** Sends every object to each sink (run --output: the pushed data and the file are the same). */
export class TeeSink implements SnapshotSink {
  constructor(private readonly sinks: SnapshotSink[]) {}
  async add(object: KubeObject): Promise<boolean> {
    let ok = true;
    for (const sink of this.sinks) ok = (await sink.add(object)) && ok;
    return ok;
  }
  async finish(header: SnapshotHeader): Promise<void> {
    for (const sink of this.sinks) await sink.finish(header);
  }
  async abort(): Promise<void> {
    for (const sink of this.sinks) await sink.abort();
  }
}
