import { http, HttpResponse } from "msw";
import type { FaultSpec, OpenAISimulator } from "./simulator.ts";

/**
 * Remote control of a simulator served over HTTP, for end-to-end tests that run against the
 * stack's simulator in another process. The simulator is shared by every suite of a run, so suites
 * should prefer controls scoped to their own objects (retiring one model) over global ones.
 */
export function simulatorControlHandlers(simulator: OpenAISimulator) {
  const action = (name: string, run: (body: Record<string, unknown>) => unknown) =>
    http.post(`*/__simulator/${name}`, async ({ request }) => {
      const text = await request.text();
      const result = run(text ? JSON.parse(text) : {});
      return HttpResponse.json({ ok: true, ...(result as object ?? {}) });
    });

  return [
    action("retire-model", (body) => simulator.retireModel(String(body.modelId))),
    action("refuse-fine-tuning", (body) => simulator.refuseFineTuning(body as Parameters<OpenAISimulator["refuseFineTuning"]>[0])),
    action("deny-fine-tuning-access", (body) =>
      simulator.denyFineTuningAccess(typeof body.organization === "string" ? body.organization : undefined)),
    action("refuse-model-deletion", (body) => simulator.refuseModelDeletion(body.refuse !== false)),
    action("fail-next-job", (body) => simulator.failNextJob(body as Parameters<OpenAISimulator["failNextJob"]>[0])),
    action("inject", (body) => {
      const { pathPattern, ...fault } = body as unknown as FaultSpec & { pathPattern?: string };
      simulator.inject({ ...fault, path: pathPattern ? new RegExp(pathPattern) : fault.path } as FaultSpec);
    }),
    action("reset", () => simulator.reset()),
    action("limit-active-jobs", (body) => simulator.limitActiveJobs(typeof body.max === "number" ? body.max : null)),
    http.get("*/__simulator/state", () =>
      HttpResponse.json({
        files: simulator.files.size,
        jobs: [...simulator.jobs.values()].map((job) => ({
          id: job.id,
          status: job.status,
          model: job.model,
          metadata: job.metadata,
          fineTunedModel: job.fine_tuned_model,
        })),
        fineTunedModels: [...simulator.fineTunedModels],
        chatRequests: simulator.chatRequests.length,
        speechRequests: simulator.speechRequests,
        activeJobs: simulator.activeJobs,
      })),
  ];
}
