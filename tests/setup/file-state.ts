import { afterAll } from "vitest";
import { resetEnv } from "../../shared/env.ts";
import { resetTrainingNotice } from "../../shared/lifecycle/training-access.ts";
import { resetAnthropic } from "../../shared/providers/anthropic/client.ts";
import { resetCompatibleClient } from "../../shared/providers/compatible/client.ts";
import { resetOpenAI } from "../../shared/providers/openai/client.ts";
import { resetTogetherEndpointCache } from "../../shared/providers/together/endpoint.ts";

// Test files share their worker's process and modules (vitest.config.ts: isolate: false). Each file
// gets the environment the worker started with: what it set in process.env goes when it ends, and
// with it the settings and provider clients built from it.
const started = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in started)) delete process.env[name];
  Object.assign(process.env, started);
  resetEnv();
  resetOpenAI();
  resetAnthropic();
  resetCompatibleClient();
  resetTogetherEndpointCache();
  resetTrainingNotice();
});
