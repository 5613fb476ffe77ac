/** The cold-start baseline: a function that imports nothing. */
export default (_request: Request) => new Response("hello");
