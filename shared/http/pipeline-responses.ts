import { errorBody } from "../errors.ts";
import type { EndpointContract, ResponseContract, ResponseContracts } from "./endpoint.ts";

const error = (description: string, headers?: Record<string, string>): ResponseContract => ({
  description,
  schema: errorBody,
  ...(headers ? { headers } : {}),
});

/**
 * The error answers the pipeline itself gives for an endpoint, from what it declares: its auth,
 * its path, query and body, and the faults every endpoint shares. Statuses the endpoint declares
 * itself take precedence.
 */
export function pipelineResponses(spec: EndpointContract): ResponseContracts {
  const responses: Record<number, ResponseContract> = {};
  if (spec.body || spec.query || spec.params) {
    responses[400] = error("The request is invalid: `invalid_json`, or `validation_failed` with the query or path issues in `details`");
  }
  if (spec.auth !== "none") {
    const bearer = spec.auth === "user" || spec.auth === "admin";
    responses[401] = error(
      bearer ? "No bearer token, or one that is invalid or expired" : "No valid service key",
      bearer ? { "WWW-Authenticate": "Bearer" } : undefined,
    );
    responses[403] = error(
      spec.auth === "user"
        ? "The token is not a signed-in user's"
        : spec.auth === "admin"
        ? "The token is neither an admin's (app_metadata.role = admin) nor the service role's"
        : "The token is not the service role's",
    );
  }
  if (spec.path) responses[404] = error("No such route (extra path segments)");
  responses[405] = error("Method not allowed", { Allow: "The methods this endpoint accepts" });
  if (spec.body) {
    responses[413] = error("The request body is too large");
    responses[415] = error("The body is not sent as application/json");
    responses[422] = error("The body fails validation: `validation_failed` with the issue paths in `details`");
  }
  responses[500] = error("An unexpected fault; the body reveals nothing about it");
  responses[503] = error("The database is unavailable (`retryable: true`)");
  return responses;
}

/** Every answer an endpoint can give: the pipeline's, overridden by the endpoint's own. */
export function documentedResponses(spec: EndpointContract): ResponseContracts {
  return { ...pipelineResponses(spec), ...spec.responses };
}
