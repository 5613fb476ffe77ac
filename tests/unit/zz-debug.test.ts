import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { it } from "vitest";
let n = 0;
const server = setupServer(http.get("*/v1/models/x", () => (n++ === 0 ? HttpResponse.json({ error: { message: "x" } }, { status: 503 }) : HttpResponse.json({ id: "x" }))));
it("cancel mocked body", async () => {
  server.listen({ onUnhandledRequest: "error" });
  const res = await fetch("https://api.openai.com/v1/models/x");
  console.log("status", res.status, typeof (res.body as any)[Symbol.asyncIterator]);
  const t = setTimeout(() => console.log("still hanging"), 2000);
  await (res.body as any)[Symbol.asyncIterator]().return();
  clearTimeout(t);
  console.log("cancelled ok");
  server.close();
}, 5000);
