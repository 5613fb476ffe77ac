import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseInline, parseReply } from "../../app/src/reply-markup.ts";
import { ReplyText } from "../../app/src/components/ReplyText.tsx";

// The reader app's reply renderer: roleplay `*actions*` and light Markdown become elements, and
// whatever a reply holds (HTML, links, unbalanced or endless delimiters) stays text.

const html = (text: string) => renderToStaticMarkup(createElement(ReplyText, { text }));

describe("reply markup", () => {
  it("shows actions in italics and light Markdown as elements", () => {
    expect(html("*smiles at you* You look **very** tired, `dear`.")).toBe(
      '<div class="reply-text"><span class="reply-paragraph"><em>smiles at you</em> You look <strong>very</strong> tired, <code>dear</code>.</span></div>',
    );
    expect(parseInline("**bold with *an action* inside** and _italic_ but snake_case_name"))
      .toEqual([
        { type: "strong", children: [{ type: "text", text: "bold with " }, { type: "em", children: [{ type: "text", text: "an action" }] }, { type: "text", text: " inside" }] },
        { type: "text", text: " and " },
        { type: "em", children: [{ type: "text", text: "italic" }] },
        { type: "text", text: " but snake_case_name" },
      ]);
    expect(parseReply("Two things:\n- tea\n- *a nap*\n\n1. first\n2. second\n```\nlet x = 1;\n```\nBye\nfor now")).toEqual([
      { type: "paragraph", children: [{ type: "text", text: "Two things:" }] },
      { type: "list", ordered: false, start: 1, items: [[{ type: "text", text: "tea" }], [{ type: "em", children: [{ type: "text", text: "a nap" }] }]] },
      { type: "list", ordered: true, start: 1, items: [[{ type: "text", text: "first" }], [{ type: "text", text: "second" }]] },
      { type: "code", text: "let x = 1;" },
      { type: "paragraph", children: [{ type: "text", text: "Bye\nfor now" }] },
    ]);
  });

  it("never lets a reply become markup", () => {
    const hostile = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "**<b onclick=alert(1)>x</b>**",
      "*<iframe src=javascript:alert(1)>*",
      "[click](javascript:alert(1))",
      "`</code><script>alert(1)</script>`",
      "```\n</pre><svg onload=alert(1)>\n```",
      "- <a href='javascript:alert(1)'>x</a>",
      "&lt;script&gt; &amp; \"quotes\" 'single'",
    ];
    for (const text of hostile) {
      const out = html(text);
      expect(out).not.toMatch(/<(script|img|iframe|svg|a|b)\b/i);
      expect(out).not.toMatch(/<[^>]*\son\w+=/i);
      expect(out).not.toMatch(/<[^>]*href/i);
    }
    expect(html("<script>")).toContain("&lt;script&gt;");
  });

  it("keeps unbalanced delimiters as written, and stays fast on endless ones", () => {
    expect(parseInline("2 * 3 = 6 and *unclosed")).toEqual([{ type: "text", text: "2 * 3 = 6 and *unclosed" }]);
    expect(parseReply("```\nnever closed")).toEqual([{ type: "code", text: "never closed" }]);
    // A backtracking pattern would take minutes on these; a linear scan takes well under a second.
    const started = performance.now();
    for (const text of ["*".repeat(100_000), "**a ".repeat(25_000), "*a ".repeat(30_000), "_`*".repeat(30_000), `${"- ".repeat(50_000)}x`]) {
      expect(parseReply(text).length).toBeGreaterThan(0);
    }
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
