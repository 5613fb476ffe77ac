/** Hands `text` to the browser as a file download named `fileName`. */
export function saveTextFile(fileName: string, text: string, type: string) {
  saveBlob(fileName, new Blob([text], { type }));
}

function saveBlob(fileName: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Let the download start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Mr Darcy, Elizabeth" -> "mr-darcy-elizabeth", for file names. */
export const fileSlug = (text: string) =>
  text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "conversation";

/** Hands bytes to the browser as a file download (a PNG card, say). */
export function saveBytesFile(fileName: string, bytes: Uint8Array, type: string) {
  saveBlob(fileName, new Blob([bytes as BlobPart], { type }));
}
