import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync } from "fflate";

/** Real public EPUBs kept unzipped (see tests/fixtures/epub22/README.md). */
export const REAL_EPUBS = join(import.meta.dirname, "../fixtures/epub22");

function folderFiles(dir: string, root = dir): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, folderFiles(path, root));
    else files[relative(root, path)] = readFileSync(path);
  }
  return files;
}

/** The fixture EPUBs by folder name. */
export type RealEpubName = "childrens-literature" | "frankenstein" | "sherlock-holmes";

/** A fixture folder zipped as an upload would be: mimetype first and stored, as the spec asks. */
export function realEpub(name: RealEpubName): Uint8Array {
  const { mimetype, ...rest } = folderFiles(join(REAL_EPUBS, name));
  return zipSync({ mimetype: [mimetype, { level: 0 }], ...rest });
}
