/**
 * Minimal RFC 8941 Item parser: returns the bare item when it is a Token, else null (COOP/COEP values).
 * Parameters are accepted and ignored, as the HTML standard does; anything unparseable is null.
 */
export function structuredFieldToken(input: string): string | null {
  let i = 0;
  const s = input.replace(/^ +| +$/g, "");
  const token = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/;
  const m = token.exec(s);
  if (!m) return null;
  const value = m[0];
  i = value.length;
  const key = /^[a-z*][a-z0-9_\-.*]*/;
  const bareItem = /^(?:-?\d{1,15}(?:\.\d{1,3})?|"(?:[^"\\\x00-\x1f\x7f]|\\["\\])*"|[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*|:[A-Za-z0-9+/=]*:|\?[01])/;
  while (i < s.length) {
    if (s[i] !== ";") return null;
    i += 1;
    while (s[i] === " ") i += 1;
    const k = key.exec(s.slice(i));
    if (!k) return null;
    i += k[0].length;
    if (s[i] === "=") {
      i += 1;
      const v = bareItem.exec(s.slice(i));
      if (!v) return null;
      i += v[0].length;
    }
  }
  return value;
}
