import { test } from "node:test";
import assert from "node:assert/strict";
import { placeholder } from "./index.ts";
test("ts runs natively", () => { assert.equal(placeholder, 1); });
