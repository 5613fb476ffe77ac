const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "5 minutes ago", "yesterday", for people. */
export function timeAgo(iso: string | null): string {
  if (!iso) return "never";
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [["second", 60], ["minute", 60], ["hour", 24], ["day", 30], ["month", 12]];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), "year");
}

export function clockTime(date: Date | string): string {
  return new Date(date).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function bookTitle(bookInfo: Record<string, unknown>, fallback: string): string {
  return typeof bookInfo.title === "string" ? bookInfo.title : fallback;
}

/** US dollars for people: cents, or four decimals under a dollar (a chat costs fractions of a cent). */
export function usd(amount: number): string {
  return amount.toLocaleString(undefined, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: amount < 1 ? 4 : 2 });
}
