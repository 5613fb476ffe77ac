import { HttpError } from "../errors.ts";

/** 422 `invalid_epub`: the upload is not an EPUB this service can read, and why. */
export const invalidEpub = (message: string) =>
  new HttpError(422, "invalid_epub", message, { details: [{ path: ["epub"], message }] });

/** 413 `book_too_large`: the EPUB's documents inflate past what one upload may unpack. */
export const epubTooLarge = (limitBytes: number) => {
  const message = `The EPUB's documents unpack to more than ${limitBytes} bytes.`;
  return new HttpError(413, "book_too_large", message, { details: [{ path: ["epub"], message }] });
};
