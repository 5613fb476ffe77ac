import type { Model } from "../../../sdk/index.ts";
import { useCardPicture } from "../hooks/useCardPicture.ts";
import "./avatar-content.css";

/** What fills a persona's round avatar: its card's picture when it has one, else its initial. */
export function AvatarContent({ model }: { model: Model }) {
  const picture = useCardPicture(model);
  const initial = model.entity_name.slice(0, 1).toUpperCase();
  return picture ? <img className="avatar-picture" src={picture} alt="" /> : <>{initial}</>;
}
