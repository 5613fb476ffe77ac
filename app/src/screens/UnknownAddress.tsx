import { hrefFor } from "../router.ts";

/** An address the app does not know: said plainly, with the way on (an old chat link's new place). */
export function UnknownAddress({ path, modelId }: { path: string; modelId?: string }) {
  return (
    <section className="state-message" aria-labelledby="unknown-title">
      <h1 id="unknown-title">{modelId ? "This chat link has moved" : "Nothing at this address"}</h1>
      <p className="muted">
        {modelId
          ? "Chats now live at a new address. The model is still there:"
          : <>The app has no page at <code>#{path}</code>. It may be mistyped, or from an older version.</>}
      </p>
      <p>
        {modelId
          ? <a className="button primary" href={hrefFor.chat(modelId)}>Open the chat</a>
          : <a className="button primary" href={hrefFor.models}>Go to AI Models</a>}
      </p>
    </section>
  );
}
