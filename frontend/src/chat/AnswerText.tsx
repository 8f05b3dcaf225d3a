import { Anchor, Badge, Group, Stack, Text, Tooltip, UnstyledButton } from "@mantine/core";
import { IconExternalLink, IconFileText, IconInfoCircle } from "@tabler/icons-react";
import { Fragment, type ReactNode } from "react";
import type { Citation } from "../api/client";
import { excerpt, isNoModelNote, paragraphs, splitCitations } from "./citations";

/**
 * Opens what a citation quotes: a document (uploads have no URL to open instead), or a file
 * attached to the conversation (`attachment_id`, for the conversation's owner).
 */
export type OpenDocument = (citation: Citation) => void;

/** What a citation whose source the reader can no longer open is called (deleted, or closed). */
export const UNAVAILABLE_SOURCE = "a source you can no longer open";
export const CHANGED_SOURCE = "changed since this answer";

export function isUnavailable(citation: Citation): boolean {
  return citation.state === "unavailable";
}

function titleOf(citation: Citation): string {
  return isUnavailable(citation) ? UNAVAILABLE_SOURCE : citation.title || "Untitled";
}

function citationLabel(citation: Citation): string {
  return `Source ${citation.number}: ${titleOf(citation)}`;
}

/** A link or button that opens the source of a citation. */
export function CitationLink({
  citation,
  onOpenDocument,
  className,
  children,
  label,
}: {
  citation: Citation;
  onOpenDocument: OpenDocument;
  className?: string;
  children: ReactNode;
  label?: string;
}) {
  const ariaLabel = label ?? citationLabel(citation);
  if (isUnavailable(citation)) {
    // Nothing of the source is kept for this reader: no link, no passage.
    return (
      <Text span className={className} aria-label={`Source ${citation.number}: ${UNAVAILABLE_SOURCE}`}>
        {children}
      </Text>
    );
  }
  if (citation.url) {
    return (
      <Anchor
        href={citation.url}
        target="_blank"
        rel="noreferrer"
        className={className}
        aria-label={`${ariaLabel} (opens in a new tab)`}
        underline="never"
      >
        {children}
      </Anchor>
    );
  }
  if (citation.document_id == null && citation.attachment_id == null) {
    // The document was deleted since the answer; the passage below is all that is left.
    return (
      <Text span className={className} aria-label={`${ariaLabel} (no longer available)`}>
        {children}
      </Text>
    );
  }
  return (
    <UnstyledButton className={className} aria-label={ariaLabel} onClick={() => onOpenDocument(citation)}>
      {children}
    </UnstyledButton>
  );
}

function CitationMarker({ citation, onOpenDocument }: { citation: Citation; onOpenDocument: OpenDocument }) {
  return (
    <Tooltip label={titleOf(citation)} openDelay={150}>
      <span>
        <CitationLink citation={citation} onOpenDocument={onOpenDocument} className="citation-marker">
          {citation.number}
        </CitationLink>
      </span>
    </Tooltip>
  );
}

function Paragraph({
  text,
  citations,
  onOpenDocument,
}: {
  text: string;
  citations: Map<number, Citation>;
  onOpenDocument: OpenDocument;
}) {
  return (
    <Text component="div" size="sm" lh={1.65} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {splitCitations(text).map((segment, index) => {
        if (segment.type === "text") return <Fragment key={index}>{segment.text}</Fragment>;
        const known = segment.numbers.map((number) => citations.get(number));
        // A number the stream has not cited (yet) stays as the model wrote it.
        if (known.some((citation) => !citation)) return <Fragment key={index}>{segment.raw}</Fragment>;
        return (
          <Fragment key={index}>
            {known.map((citation) => (
              <CitationMarker key={citation!.number} citation={citation!} onOpenDocument={onOpenDocument} />
            ))}
          </Fragment>
        );
      })}
    </Text>
  );
}

/** An answer's text with its [n] references as buttons that open the sources. */
export function AnswerText({
  text,
  citations,
  onOpenDocument,
  trailing,
}: {
  text: string;
  citations: Citation[];
  onOpenDocument: OpenDocument;
  /** Shown after the last paragraph (the streaming cursor). */
  trailing?: ReactNode;
}) {
  const byNumber = new Map(citations.map((citation) => [citation.number, citation]));
  const parts = paragraphs(text);
  const note = parts.length > 0 && isNoModelNote(parts[0]) ? parts[0] : null;
  const body = note ? parts.slice(1) : parts;
  return (
    <Stack gap="sm">
      {note && (
        <Group gap={6} wrap="nowrap" align="flex-start" c="dimmed">
          <IconInfoCircle size={15} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <Text size="xs" c="dimmed" lh={1.5}>
            {note}
          </Text>
        </Group>
      )}
      {body.map((part, index) => (
        <Paragraph key={index} text={part} citations={byNumber} onOpenDocument={onOpenDocument} />
      ))}
      {trailing}
    </Stack>
  );
}

/** The numbered sources under an answer, each opening its document or URL. */
export function SourceList({ citations, onOpenDocument }: { citations: Citation[]; onOpenDocument: OpenDocument }) {
  if (citations.length === 0) return null;
  return (
    <Stack gap={6} component="section" aria-label="Sources">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: "0.04em" }}>
        Sources
      </Text>
      <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: "none" }}>
        {citations.map((citation) => (
          <li key={citation.number}>
            <CitationLink
              citation={citation}
              onOpenDocument={onOpenDocument}
              className="source-card"
              label={isUnavailable(citation) ? undefined : `Open source ${citation.number}: ${titleOf(citation)}`}
            >
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <span className="source-number" aria-hidden>
                  {citation.number}
                </span>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text
                      size="sm"
                      fw={600}
                      truncate
                      c={isUnavailable(citation) ? "dimmed" : "var(--mantine-color-text)"}
                      fs={isUnavailable(citation) ? "italic" : undefined}
                    >
                      {titleOf(citation)}
                    </Text>
                    {citation.state === "changed" && (
                      <Badge size="xs" variant="light" color="yellow" style={{ flexShrink: 0 }}>
                        {CHANGED_SOURCE}
                      </Badge>
                    )}
                    {isUnavailable(citation) ? null : citation.url ? (
                      <IconExternalLink size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
                    ) : (
                      <IconFileText size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
                    )}
                  </Group>
                  {!isUnavailable(citation) && (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {excerpt(citation.passage ?? "", citation.title ?? "")}
                    </Text>
                  )}
                </div>
              </Group>
            </CitationLink>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
