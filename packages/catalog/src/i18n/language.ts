/**
 * The languages tool results are spoken in. A message catalogue is a `MessageCatalogue<M>`: one map of message
 * functions per language, so adding a language is one new entry here and one new map per catalogue (the
 * type checker lists every catalogue that lacks it).
 */
export const SPEECH_LANGUAGES = ["en", "es"] as const;
export type SpeechLanguage = (typeof SPEECH_LANGUAGES)[number];

export type MessageCatalogue<M> = Readonly<Record<SpeechLanguage, M>>;

/** BCP-47 tag → the speech language it selects ("es-US", "es" → es); anything else is English. */
export function speechLanguageOf(bcp47: string | null | undefined): SpeechLanguage {
  const primary = (bcp47 ?? "").toLowerCase().split("-")[0];
  return SPEECH_LANGUAGES.find((l) => l === primary) ?? "en";
}

/**
 * The language a tool answers in: the one the gateway says the caller is being answered in (the request
 * envelope's `language`), else the location's own.
 */
export function speechLanguage(envelope: { language?: string | undefined }, location: { language: string }): SpeechLanguage {
  return speechLanguageOf(envelope.language ?? location.language);
}

/** The BCP-47 locale used for number and date formatting in a speech language. */
export const SPEECH_LOCALE: MessageCatalogue<string> = { en: "en-US", es: "es-US" };
