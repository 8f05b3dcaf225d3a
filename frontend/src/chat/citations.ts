/** A piece of an answer: plain text, or a reference like [1] or [2, 3] to numbered sources. */
export type AnswerSegment = { type: "text"; text: string } | { type: "cite"; numbers: number[]; raw: string };

// The runtime's own pattern (agents/runtime.py CITATION_PATTERN): [1], [2,3], [2, 3].
const REFERENCE = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

export function splitCitations(text: string): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ type: "text", text: text.slice(last, start) });
    segments.push({
      type: "cite",
      numbers: match[1].split(",").map((part) => Number(part.trim())),
      raw: match[0],
    });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ type: "text", text: text.slice(last) });
  return segments;
}

/** Paragraphs of an answer: blank lines separate them, single newlines stay inside. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.replace(/^\n+|\s+$/g, ""))
    .filter((part) => part.length > 0);
}

// agents/runtime.py NO_MODEL_NOTE opens every extractive answer.
const NO_MODEL_PREFIX = "No language model is configured";

/** Whether a paragraph is the note an extractive answer (no model configured) starts with. */
export function isNoModelNote(paragraph: string): boolean {
  return paragraph.startsWith(NO_MODEL_PREFIX);
}

/** A passage as a short excerpt: markdown heading marks and runs of whitespace removed. */
export function excerpt(passage: string, title = ""): string {
  let text = passage.replace(/^#+\s+/gm, "").replace(/\s+/g, " ").trim();
  if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^[\s:.-]+/, "");
  return text;
}
