import { useState } from "react";
import type { CreateQuickInput, Model } from "../../../sdk/index.ts";
import { QuickFineTuneButton } from "../components/QuickFineTuneButton.tsx";
import { hrefFor } from "../router.ts";

const ELIZABETH: CreateQuickInput = {
  type: "character",
  entityName: "Elizabeth Bennet",
  description: "The second Bennet daughter: quick-witted, playful and proud of her own judgement.",
  bookId: "pride-and-prejudice",
  bookInfo: {
    title: "Pride and Prejudice",
    author: "Jane Austen",
    description: "Elizabeth Bennet and Mr Darcy overcome pride and prejudice in Regency England.",
  },
};

/** Both variants of the QuickFineTuneButton, as a reading app would embed them. */
export function QuickFineTuneDemo() {
  const [made, setMade] = useState<Model | null>(null);
  return (
    <section aria-labelledby="demo-title" className="narrow">
      <a className="back-link" href={hrefFor.models}>← AI Models</a>
      <h1 id="demo-title">Quick fine-tune button</h1>
      <p className="muted">The button a book page embeds: one tap creates a quick AI for that character.</p>
      <div className="card demo-book">
        <div>
          <h2>Pride and Prejudice</h2>
          <p className="muted">Elizabeth Bennet · Jane Austen</p>
        </div>
        <div className="demo-variants">
          <div>
            <h3>Full</h3>
            <QuickFineTuneButton input={ELIZABETH} onSuccess={setMade} />
          </div>
          <div>
            <h3>Icon</h3>
            <QuickFineTuneButton input={ELIZABETH} variant="icon" onSuccess={setMade} />
          </div>
        </div>
      </div>
      <p aria-live="polite">
        {made && <>Created {made.entity_name}. <a href={hrefFor.chat(made.id)}>Chat with {made.entity_name}</a></>}
      </p>
    </section>
  );
}
