import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AssessTurnArgs, DialOutcomeArgs, ESCALATION_SUBJECTS, TOOLS, TransferDecision, realtimeTool, toolSubject } from "../src/index.ts";

const UUID = "0b7d3c1e-5a2f-4c1e-9d3b-2f6a8e4c7b10";

describe("escalation contract", () => {
  test("transfer_to_human never blocks a caller on its arguments: unknown reason → other, a number to call dropped, 5 KB accepted", () => {
    const parsed = TOOLS.transfer_to_human.args.parse({ reason: "wants the owner", summary: "x".repeat(5 * 1024), to: "+441632960000" });
    assert.equal(parsed.reason, "other");
    assert.equal(parsed.summary.length, 5 * 1024);
    assert.equal("to" in parsed, false, "a number from the model is not passed on");
    assert.equal(TOOLS.transfer_to_human.args.safeParse({ reason: "complaint", summary: "y".repeat(20_001) }).success, false);
  });

  test("the model still sees the fixed list of reasons", () => {
    const reason = (realtimeTool("transfer_to_human").parameters["properties"] as Record<string, { enum?: string[] }>)["reason"];
    assert.deepEqual(reason?.enum, [
      "caller_request",
      "complaint",
      "large_order",
      "unanswered_question",
      "payment_or_refund",
      "allergy_confirmation",
      "technical_failure",
      "other",
    ]);
  });

  test("an old-shape result (no decision) still parses; a decision must be one of the four actions", () => {
    assert.equal(TOOLS.transfer_to_human.result.safeParse({ transferred: false, to: null, callbackRequested: true, speech: "We will call you back." }).success, true);
    const dial = {
      action: "dial",
      escalationId: UUID,
      attempt: 0,
      target: { number: "+12125550101", label: "Front counter" },
      remainingTargets: 0,
      callerId: "+12125550100",
      timeoutSeconds: 20,
      holdMessage: "Please hold.",
      whisper: "Caller asked for a person.",
      language: "en-US",
      reason: "caller_request",
      staffSmsSid: null,
    };
    assert.equal(TransferDecision.safeParse(dial).success, true);
    assert.equal(TransferDecision.safeParse({ ...dial, target: { number: "555-0101", label: "x" } }).success, false, "a dial target must be E.164");
    assert.equal(TransferDecision.safeParse({ action: "teleport" }).success, false);
  });

  test("subjects carry the prefix; the tool subject belongs to the escalation service", () => {
    assert.equal(ESCALATION_SUBJECTS.assessTurn("t1."), "t1.orderline.escalation.assess_turn");
    assert.equal(ESCALATION_SUBJECTS.dialOutcome("t1."), "t1.orderline.escalation.dial_outcome");
    assert.equal(toolSubject("transfer_to_human", "t1."), "t1.orderline.tools.escalation.transfer_to_human");
  });

  test("assess_turn defaults its counters; dial_outcome refuses an unknown DialCallStatus", () => {
    assert.deepEqual(AssessTurnArgs.parse({ text: "hi" }).counters, {
      unansweredQuestions: 0,
      consecutiveToolFailures: 0,
      failedTools: 0,
      engineLost: false,
      largeOrder: false,
    });
    assert.equal(DialOutcomeArgs.safeParse({ escalationId: UUID, attempt: 0, dialCallStatus: "ringing" }).success, false);
  });
});
