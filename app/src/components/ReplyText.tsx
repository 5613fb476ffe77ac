import { type ReactNode, useMemo } from "react";
import { type Inline, parseReply } from "../reply-markup.ts";
import "./reply-text.css";

function inlines(parts: Inline[]): ReactNode[] {
  return parts.map((part, index) => {
    switch (part.type) {
      case "text":
        return part.text;
      case "code":
        return <code key={index}>{part.text}</code>;
      case "strong":
        return <strong key={index}>{inlines(part.children)}</strong>;
      case "em":
        return <em key={index}>{inlines(part.children)}</em>;
    }
  });
}

/**
 * A persona's reply with its `*actions*` in italics and light Markdown shown, built as elements
 * from text nodes only (React escapes them), so a reply cannot inject markup.
 */
export function ReplyText({ text }: { text: string }) {
  const blocks = useMemo(() => parseReply(text), [text]);
  return (
    <div className="reply-text">
      {blocks.map((block, index) => {
        if (block.type === "code") return <pre key={index}><code>{block.text}</code></pre>;
        if (block.type === "paragraph") return <span key={index} className="reply-paragraph">{inlines(block.children)}</span>;
        const items = block.items.map((item, at) => <li key={at}>{inlines(item)}</li>);
        return block.ordered
          ? <ol key={index} start={block.start}>{items}</ol>
          : <ul key={index}>{items}</ul>;
      })}
    </div>
  );
}
