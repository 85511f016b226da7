import type { Kysely } from "kysely";
import { exec, TIMESTAMPS, updatedAtTrigger } from "./sql-util.ts";

/**
 * How each location converses: transport + engine (realtime = Media Stream with OpenAI Realtime; relay =
 * Twilio ConversationRelay with a text engine; gather = <Gather> turns with a text engine), the text engine
 * (openai | local), the Realtime model and voice, and the language the line starts in. No row = the
 * gateway's defaults.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await exec(
    db,
    `
CREATE TABLE location_conversation_settings (
  location_id uuid PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'realtime' CHECK (mode IN ('realtime', 'relay', 'gather')),
  text_engine text NOT NULL DEFAULT 'openai' CHECK (text_engine IN ('openai', 'local')),
  realtime_model text NOT NULL DEFAULT 'gpt-realtime' CHECK (realtime_model ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
  voice text NOT NULL DEFAULT 'marin' CHECK (voice IN ('alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar')),
  language text CHECK (language ~ '^[a-z]{2}-[A-Z]{2}$'),
  ${TIMESTAMPS}
);
${updatedAtTrigger("location_conversation_settings")}
`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await exec(db, "DROP TABLE IF EXISTS location_conversation_settings;");
}
