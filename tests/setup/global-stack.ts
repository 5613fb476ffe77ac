// Placeholder replaced by the stack setup; unit tests need nothing.
export default async function setup() {}
