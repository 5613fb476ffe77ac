import { resetTrainingNotice } from "../../shared/lifecycle/training-access.ts";
import { adminSql } from "./stack.ts";

/** Forgets every remembered refusal to fine-tune, so one test's refused organisation is not the next one's. */
export async function forgetTrainingRefusals(): Promise<void> {
  await adminSql()`delete from private.training_access_refusals`;
  resetTrainingNotice();
}
