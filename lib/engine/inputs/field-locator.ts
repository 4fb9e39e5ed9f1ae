/**
 * Resolves the line of a field path inside a parsed file, for SARIF and editors.
 * Lazy: the text is parsed (once) only when a location is first asked for, so
 * scans that do not need field lines pay nothing.
 */
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from "yaml";
import { splitPath } from "@/lib/engine/model/kube";
import type { ObjectSource } from "@/lib/engine/model/engine-input";

export interface FieldPosition {
  line: number;
  column: number;
  /** False when the field itself does not exist and the position is that of its nearest existing parent. */
  exact: boolean;
}

export type FieldLocator = (source: Pick<ObjectSource, "documentIndex" | "itemPath">, fieldPath: string) => FieldPosition | undefined;

export function createFieldLocator(text: string): FieldLocator {
  let docs: (YamlNode | null)[] | undefined;
  const lineCounter = new LineCounter();
  const ensure = () => {
    if (!docs) {
      const parsed = parseAllDocuments(text, { lineCounter, version: "1.1" });
      docs = (Array.isArray(parsed) ? parsed : [parsed]).map((d) => (d.contents as YamlNode | null) ?? null);
    }
    return docs;
  };
  const pos = (offset: number) => lineCounter.linePos(offset);

  return (source, fieldPath) => {
    const root = ensure()[source.documentIndex];
    if (!root) return undefined;
    let node: YamlNode | undefined = root;
    let at: [number, number] | undefined = node.range ? [node.range[0], node.range[0]] : undefined;
    const segments = [...source.itemPath, ...(fieldPath === "" ? [] : splitPath(fieldPath))];
    let exact = true;
    for (const seg of segments) {
      if (typeof seg === "number" && node && isSeq(node)) {
        const item = node.items[seg] as YamlNode | undefined;
        if (!item?.range) {
          exact = false;
          break;
        }
        node = item;
        at = [item.range[0], item.range[0]];
      } else if (node && isMap(node)) {
        const pairs: Pair<unknown, unknown>[] = node.items;
        const pair = pairs.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        const key = pair?.key as YamlNode | undefined;
        if (!pair || !key?.range) {
          exact = false;
          break;
        }
        at = [key.range[0], key.range[0]];
        node = (pair.value as YamlNode | null) ?? undefined;
        if (!node) break;
      } else {
        exact = false;
        break;
      }
    }
    if (!at) return undefined;
    const p = pos(at[0]);
    return { line: p.line, column: p.col, exact };
  };
}
