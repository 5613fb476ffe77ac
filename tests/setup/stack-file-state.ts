import { afterAll } from "vitest";
import { closeDatabase } from "../../shared/db/client.ts";
import { closeSharedBrowser } from "../browser/support/browser.ts";
import { closeAdminSql } from "../support/stack.ts";

// What a stack suite opens ends with its file, not with the worker that goes on to other files: its
// Chromium, the functions' database pool and the arranging connection (both may point at the
// file's own database; useSuiteDatabase forgets that database itself).
afterAll(async () => {
  await closeSharedBrowser();
  await closeDatabase();
  await closeAdminSql();
});
