import { describe, expect, it } from "vitest";
import { emailsOf, extractEmails } from "../src/index.js";

describe("extractEmails", () => {
  it.each([
    ["Collabs: Jane@Studio.COM", ["jane@studio.com"]],
    ["biz📩 hello@cozy-cook.co.uk.", ["hello@cozy-cook.co.uk"]],
    ["mail me: jane [at] studio [dot] com", ["jane@studio.com"]],
    ["jane(at)studio(dot)io or jane{at}studio.io", ["jane@studio.io"]],
    ["JANE <AT> STUDIO <DOT> ORG", ["jane@studio.org"]],
    ["wide: jane＠studio.com", ["jane@studio.com"]],
    ["mailto:team+tiktok@brand.example", ["team+tiktok@brand.example"]],
    ["two: a@x.com, b@y.org; again A@X.COM", ["a@x.com", "b@y.org"]],
  ])("finds the real address in %j", (text, expected) => {
    expect(extractEmails(text)).toEqual(expected);
  });

  it.each([
    ["follow @jane and @studio.official"],
    ["logo@2x.png and banner@3x.jpg"],
    ["user@localhost"],
    ["meet me at home dot then"],
    ["a..b@x.com"],
    [".jane.@x.com"],
    ["@@@"],
    [""],
  ])("finds nothing in junk %j", (text) => {
    expect(extractEmails(text)).toEqual([]);
  });

  it("tolerates null and undefined", () => {
    expect(extractEmails(null)).toEqual([]);
    expect(extractEmails(undefined)).toEqual([]);
  });

  it("reads long junk without hanging (a backtracking pattern would time this test out)", () => {
    const junk = `${"a.".repeat(50_000)}@${"b-".repeat(50_000)} ${"x@".repeat(50_000)}`;
    expect(extractEmails(`${junk} real@mail.example`)).toEqual(["real@mail.example"]);
  });

  it("ignores a local part longer than 64 characters", () => {
    expect(extractEmails(`${"a".repeat(65)}@mail.example`)).toEqual([]);
    expect(extractEmails(`${"a".repeat(64)}@mail.example`)).toEqual([`${"a".repeat(64)}@mail.example`]);
  });
});

describe("emailsOf", () => {
  it("joins bio and business email, lower-cased and de-duplicated", () => {
    expect(emailsOf("Book: Jane@Studio.com", "jane@studio.com", null, "press [at] studio [dot] com")).toEqual([
      "jane@studio.com",
      "press@studio.com",
    ]);
  });
});
