import { renderGuide } from "@/lib/dashboard/guide-markdown";
import { CodeBlock } from "@/components/ui/code-block";

const PROSE =
  "text-sm leading-relaxed text-slate-800 [&_h2]:mt-6 [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:mt-4 [&_h3]:font-semibold [&_p]:mt-2 [&_ul]:mt-2 [&_ul]:ml-5 [&_ul]:list-disc [&_ol]:mt-2 [&_ol]:ml-5 [&_ol]:list-decimal [&_li]:mt-1 [&_a]:text-blue-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.85em] [&_table]:mt-3 [&_table]:w-full [&_table]:text-left [&_th]:border-b [&_th]:py-1 [&_td]:border-b [&_td]:border-slate-200 [&_td]:py-1 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3";

const LANG_LABEL: Record<string, string> = { yaml: "YAML", yml: "YAML", sh: "Shell", bash: "Shell", shell: "Shell", json: "JSON", rego: "Rego", hcl: "HCL" };

/** The catalog's guide: prose as (escaped, link-checked) HTML, each code block with a copy button. */
export function RemediationGuide({ markdown }: { markdown: string }) {
  const blocks = renderGuide(markdown);
  return (
    <div>
      {blocks.map((block, i) =>
        block.type === "html" ? (
          <div key={i} className={PROSE} dangerouslySetInnerHTML={{ __html: block.html }} />
        ) : (
          <CodeBlock key={i} code={block.code} label={LANG_LABEL[block.lang] ?? (block.lang || "Code")} copyLabel={block.lang === "yaml" || block.lang === "yml" ? "Copy YAML" : "Copy"} />
        ),
      )}
    </div>
  );
}
