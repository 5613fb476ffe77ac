import type { Model } from "../../../sdk/index.ts";
import { bookTitle, timeAgo } from "../format.ts";
import { hrefFor } from "../router.ts";
import { StatusBadge } from "./StatusBadge.tsx";
import { AvatarContent } from "./AvatarContent.tsx";

/** One model in the list: who it speaks as, its book, state, usage and a taste of its voice. */
export function ModelCard({ model, mine }: { model: Model; mine: boolean }) {
  const title = bookTitle(model.book_info, model.book_id);
  return (
    <li className="model-card">
      <div className="model-card-body">
        <div className="model-card-top">
          <span className="avatar" aria-hidden="true"><AvatarContent model={model} /></span>
          <div className="model-card-names">
            <h3><a className="stretched-link" href={hrefFor.chat(model.id)}>{model.entity_name}</a></h3>
            <p className="muted book-title">
              <span className="kind">{model.type === "author" ? "Author" : "Character"}</span> · {title}
            </p>
            <StatusBadge status={model.status} chatMode={model.chat_mode} />
          </div>
        </div>
        {model.sample_text && <p className="sample-text">“{model.sample_text}”</p>}
        <p className="model-card-meta muted">
          <span>{model.chat_count} {model.chat_count === 1 ? "message" : "messages"} sent</span>
          <span>Last used {timeAgo(model.last_used_at)}</span>
          {/* Readers' names are private: another reader's model says only that it is shared. */}
          <span>{mine ? (model.is_public ? "Yours · Public" : "Yours · Private") : "Public · shared by another reader"}</span>
        </p>
      </div>
    </li>
  );
}
