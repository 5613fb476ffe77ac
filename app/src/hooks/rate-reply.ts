import type { Rating } from "../components/RatingButtons.tsx";
import { api } from "../services.ts";

/**
 * Rates a stored reply (one-to-one or group) by its id: `show` puts the rating on screen at once,
 * then the stored one, or the one before if the API refuses. Answers what to tell, or null.
 */
export async function rateReply(id: string, rating: Rating, before: Rating, show: (rating: Rating) => void): Promise<string | null> {
  show(rating);
  try {
    show((await api.rateExchange(id, rating)).rating ?? null);
    return null;
  } catch (error) {
    show(before);
    return `Could not save the rating: ${(error as Error).message}`;
  }
}
