import handler from "./handler.ts";

export default { fetch: handler };
