/** One stretch of speech the caller heard on a ConversationRelay session. */
export type RelayHeardTurn = {
  index: number;
  /** The `welcomeGreeting`, the app's `text` tokens, or a `play`. */
  source: "welcome" | "text" | "play";
  /** What the caller heard: the tokens joined, cut at the interrupt when interrupted. */
  text: string;
  tokens: string[];
  /** `last:true` arrived (welcome and play turns are complete at once). */
  complete: boolean;
  interrupted: boolean;
  /** Tokens of this turn that arrived after the interrupt (never spoken), joined. */
  droppedText: string;
  /** TTS language the turn was spoken in (the token's `lang`, else the session's current one). */
  lang: string;
  /** Speech interrupts allowed for this turn (session `interruptible` and the tokens' own flag). */
  interruptible: boolean;
  /** The `play` message's source URL. */
  playSource?: string;
};

/** How a ConversationRelay session ended. */
export type RelayOutcome = "ended-by-app" | "closed-by-app" | "caller-hung-up" | "handshake-failed" | "redirected" | "max-call-time";

/** `SessionStatus` the Connect action gets for each outcome (the values are not documented by Twilio: UNVERIFIED). */
export const RELAY_SESSION_STATUS: Record<RelayOutcome, string> = {
  "ended-by-app": "ended",
  "closed-by-app": "failed",
  "caller-hung-up": "completed",
  "handshake-failed": "failed",
  redirected: "ended",
  "max-call-time": "completed",
};

/** How the upgrade is signed: honestly, with a wrong auth token, not at all, or honestly and then replayed. */
export type RelayForgery = "wrong-signature" | "no-signature" | "replay" | "prompt-before-setup";

/** Everything about one `<Connect><ConversationRelay>` session, for assertions. */
export type RelayRecord = {
  url: string;
  connectedTo: string;
  /** The X-Twilio-Signature sent ("" when unsigned). */
  signature: string;
  forgery: RelayForgery | undefined;
  sessionId: string;
  /** Every attribute of the `<ConversationRelay>` element as written (hints, language, interruptible…). */
  attributes: Record<string, string>;
  /** `<Language>` children's attributes. */
  languages: Record<string, string>[];
  customParameters: Record<string, string>;
  outcome: RelayOutcome | undefined;
  /** `end.handoffData` as sent by the app. */
  handoffData: string | undefined;
  closeCode: number | undefined;
  handshakeStatus: number | undefined;
  /** Every frame the app sent (parsed JSON, or `{ raw }` when it was not JSON). */
  received: Record<string, unknown>[];
  /** Every message sent to the app (setup, prompt, dtmf, interrupt, error). */
  sent: Record<string, unknown>[];
  heard: RelayHeardTurn[];
  interrupts: { turn: number; utteranceUntilInterrupt: string; durationUntilInterruptMs: number }[];
  /** Caller prompts in order. */
  prompts: string[];
  /** `sendDigits` from the app. */
  digitsSent: string[];
  languageChanges: { ttsLanguage?: string; transcriptionLanguage?: string }[];
  ttsLanguage: string;
  transcriptionLanguage: string;
  /** Invalid app messages (each also answered with an `error` message and recorded as a call error 64107). */
  violations: string[];
  /** For `forgery: "replay"`: what the app did with a second upgrade replaying the same signature and setup. */
  replay:
    | {
        handshakeStatus: number | undefined;
        closeCode: number | undefined;
        /** The upgrade was refused, or the app closed the socket (rather than the simulator giving up after 2 s). */
        rejected: boolean;
        messagesReceived: number;
      }
    | undefined;
  /** Wall ms from open to end. */
  durationMs: number;
};
