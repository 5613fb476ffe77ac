import { describe, expect, it } from "vitest";
import { usesPreparedStatements } from "../../shared/db/prepared-statements.ts";

describe("prepared statements", () => {
  it("are used on a direct connection and the session pooler", () => {
    expect(usesPreparedStatements("postgresql://postgres:pw@db.abcdefgh.supabase.co:5432/postgres", "auto")).toBe(true);
    expect(usesPreparedStatements("postgresql://postgres.abcdefgh:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres", "auto")).toBe(true);
    expect(usesPreparedStatements("postgresql://postgres:postgres@127.0.0.1:54322/postgres", "auto")).toBe(true);
  });

  it("are off behind the transaction pooler, which does not support them", () => {
    expect(usesPreparedStatements("postgresql://postgres.abcdefgh:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres", "auto")).toBe(false);
  });

  it("follow an explicit setting either way", () => {
    expect(usesPreparedStatements("postgresql://u:p@pooler.example:6543/postgres", "true")).toBe(true);
    expect(usesPreparedStatements("postgresql://u:p@db.example:5432/postgres", "false")).toBe(false);
  });
});
