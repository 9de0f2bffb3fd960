import type { SnippetPart } from '../../shared/snippet';

/** A search snippet: text nodes only, the matched words in <mark>. Never HTML from anywhere. */
export function Snippet({ parts }: { readonly parts: readonly SnippetPart[] }) {
  return (
    <p class="snippet">
      {parts.map((part, index) => (part.marked ? <mark key={index}>{part.text}</mark> : part.text))}
    </p>
  );
}
