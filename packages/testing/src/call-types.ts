import type { SimulatedCall } from "./simulated-call.ts";
import type { CallerStep } from "./caller-script.ts";
import type { RelayForgery } from "./relay-record.ts";
import type { RelayStep } from "./relay-script.ts";

/** Minimal view of the shared "Twilio cloud" a call needs (implemented by TwilioCloud). */
export type CloudContext = {
  readonly accountSid: string;
  readonly authToken: string;
  /** Wall-clock ms per media ms (1 = real time, 0.1 = ten times faster, 0 = as fast as possible). */
  readonly timeScale: number;
  /** Where to actually send a request for a URL as written in TwiML/config (signatures use the original). */
  transport(url: string): string;
  /** Twilio's User-Agent / request timeout for webhooks. */
  readonly webhookTimeoutMs: number;
  onCallEnded(call: SimulatedCall): void;
};

/**
 * What the caller does at a `<Gather>`: speaks (`confidence` defaults to 0.9; `null` leaves `Confidence` out,
 * as Twilio sometimes does; `bargeInAfterChars` = starts talking once that much of the nested `<Say>` text
 * was spoken), presses keys, or says nothing.
 */
/** `"hangup"`: the caller hangs up while the prompt plays (the call completes; no action request). */
export type GatherAnswer =
  | {
      speech: string;
      confidence?: number | null;
      bargeInAfterChars?: number;
      /** The caller takes until this settles to answer (a test holds the call in progress meanwhile). */
      thinkUntil?: Promise<unknown>;
    }
  | { digits: string }
  | "timeout"
  | "hangup";

/** One `<Gather>` as the caller met it. */
export type GatherRecord = {
  action: string | undefined;
  answer: GatherAnswer;
  /** `input` as written (default "dtmf"). */
  input: string;
  /** Every attribute as written: hints, language, speechTimeout, speechModel, actionOnEmptyResult, bargeIn… */
  attrs: Record<string, string>;
  /** The nested `<Say>` texts, in order. */
  prompts: string[];
  /** What the caller heard of them (cut where the caller barged in). */
  heardPrompt: string;
  bargedIn: boolean;
  /** Whether the action was requested (with no input it is only when actionOnEmptyResult="true"). */
  actionRequested: boolean;
};
export type DialStatus = "completed" | "no-answer" | "busy" | "failed" | "canceled";
/**
 * How a `<Dial>` goes. `callerHangsUp`: the caller hangs up during the bridged call (the call ends; the Dial
 * action is still requested, like Twilio does), otherwise the staff member ends it and the call goes on.
 */
export type DialOutcome = { status: DialStatus; durationSec?: number; callerHangsUp?: boolean };
export type CallStatus = "queued" | "initiated" | "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "failed" | "canceled";

export type CallBehaviour = {
  /** What the person does once a `<Connect><Stream>` is up (see callerSays & co). Default: silence. */
  caller?: CallerStep[];
  /** What the person does on a `<Connect><ConversationRelay>` session (see relaySays & co). Default: silence. */
  relayCaller?: RelayStep[];
  /** Forge the relay upgrade: wrong or missing signature, a replayed one, or a prompt before setup. */
  relayForgery?: RelayForgery;
  /** Answers to successive `<Gather>`s, in order. Missing = no input (Twilio moves to the next verb). */
  gatherAnswers?: GatherAnswer[];
  /** Outcomes of successive `<Dial>`s. Default `{ status: "completed", durationSec: 30 }`. */
  dialOutcomes?: DialOutcome[];
  /** Number-level status callback (inbound) or the REST `StatusCallback` (outbound). */
  statusCallback?: string;
  statusCallbackMethod?: "POST" | "GET";
  /** Default for inbound: ["completed"]; outbound: what the REST request asked for. */
  statusCallbackEvent?: string[];
  /** Playback idle this long (media ms) ends an assistant turn. Default 400. */
  turnGapMs?: number;
  /** Safety net: the simulated call hangs up after this much call time (ms). Default 300,000. */
  maxCallMs?: number;
  /**
   * Audio per inbound `media` message, a multiple of 20 ms (default 20: what Twilio is observed to send; it is
   * not promised, so a gateway test can ask for 40 or 100 to prove it copes with other sizes).
   */
  inboundFrameMs?: number;
};

export type TimelineEntry = { at: number; callMs: number; type: string } & Record<string, unknown>;

/** One stretch of gateway audio the caller heard over the media stream. */
export type AssistantTurn = {
  index: number;
  startMediaMs: number;
  endMediaMs: number | undefined;
  bytesReceived: number;
  bytesPlayed: number;
  /** bytesPlayed / 8. */
  playedMs: number;
  /** The turn was cut short by a `clear`. */
  cleared: boolean;
  /** Marks echoed during this turn. */
  marks: string[];
  /** The mu-law bytes actually played (complete once the turn ended). */
  audio: Buffer;
};

export type StreamRecord = {
  url: string;
  connectedTo: string;
  signature: string;
  streamSid: string;
  customParameters: Record<string, string>;
  /** How the stream ended: the server closed it, the caller hung up, a REST update redirected the call, or the handshake failed. */
  outcome: "closed-by-server" | "caller-hung-up" | "redirected" | "handshake-failed" | "max-call-time" | undefined;
  closeCode: number | undefined;
  handshakeStatus: number | undefined;
  framesSent: number;
  framesReceived: number;
  messagesReceived: number;
  stopSent: boolean;
};

export type DialRecord = {
  number: string;
  callerId: string | undefined;
  timeout: string | undefined;
  action: string | undefined;
  answerOnBridge: string | undefined;
  whisperUrl: string | undefined;
  /** What the dialled staff member heard from the whisper TwiML (`<Say>` texts). */
  whisper: string[];
  outcome: DialOutcome;
  childCallSid: string;
};

export type SaidRecord = { text: string; voice: string | undefined; language: string | undefined; where: "call" | "gather" | "whisper" };
export type LatencyRecord = { speechEndMediaMs: number; mediaMs: number; wallMs: number };
export type CallError = { code: number | undefined; message: string };

/** A TwiML document and the URL it came from ("(inline)" for REST `Twiml`). */
export type TwimlDoc = { xml: string; url: string };
/** What a REST update asks a live call to do. */
export type CallRedirect = { twiml: string } | { url: string; method: "GET" | "POST" } | { hangup: true };
export type StreamOutcome = NonNullable<StreamRecord["outcome"]>;
/** What a verb tells the document runner: go to this document, hang up, or go on with the next verb. */
export type VerbResult = TwimlDoc | "hangup" | undefined;

/** A call failed in a way a test should see (assertNoErrors). */
export class SimulatedCallError extends Error {
  override readonly name = "SimulatedCallError";
}
