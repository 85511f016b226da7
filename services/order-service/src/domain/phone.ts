import type { SpeechLanguage } from "@orderline/catalog";
import { ToolFailure } from "@orderline/contracts";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { ORDER_MESSAGES } from "./messages.ts";

const DIGIT_WORDS: Record<string, string> = {
  zero: "0",
  oh: "0",
  o: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};

export const INVALID_PHONE_MESSAGE = ORDER_MESSAGES.en.invalidPhone;

/**
 * Turns spoken digit words into digits ("five five five, one two three…" → "555123…"), leaving everything
 * else as it is. "double"/"triple" ("double five") are expanded too.
 */
export function normalizeSpokenDigits(raw: string): string {
  const tokens = raw.toLowerCase().split(/[\s,.-]+/).filter(Boolean);
  if (!tokens.some((t) => t in DIGIT_WORDS)) return raw;
  let out = "";
  let repeat = 1;
  for (const t of tokens) {
    if (t === "double") repeat = 2;
    else if (t === "triple") repeat = 3;
    else if (t in DIGIT_WORDS) {
      out += DIGIT_WORDS[t]!.repeat(repeat);
      repeat = 1;
    } else {
      out += t;
      repeat = 1;
    }
  }
  return out;
}

/**
 * Parses a phone number as a caller says it ("555 123 4567", "(415) 555-0123", "+44 20 7946 0958",
 * "five five five …") into E.164. Numbers without a country code are read in `defaultCountry`.
 * "Possible" (right length for the country) is required, not "valid": fictional 555 numbers pass.
 * Throws ToolFailure("invalid_phone") with a speakable message.
 */
export function parsePhone(raw: string, defaultCountry: CountryCode = "US", language: SpeechLanguage = "en"): string {
  const text = normalizeSpokenDigits(raw.trim());
  const parsed = text.length > 0 && text.length <= 40 ? parsePhoneNumberFromString(text, defaultCountry) : undefined;
  if (!parsed?.isPossible() || !/^\+[1-9]\d{6,14}$/.test(parsed!.number)) {
    throw new ToolFailure("invalid_phone", ORDER_MESSAGES[language].invalidPhone, { heard: raw.slice(0, 40) });
  }
  return parsed.number;
}
