import { id } from "./realtime-schemas.ts";
import type { RealtimeSession } from "./realtime-session.ts";

// Client conversation items: tool outputs and messages (GA content types), truncation of assistant
// audio within what was actually sent, retrieve and delete.

export function onItemCreate(s: RealtimeSession, ev: Record<string, unknown>, eventId: string | null): void {
  const item = ev["item"] as Record<string, unknown> | undefined;
  if (typeof item !== "object" || item === null) {
    s.reject("item_create", "conversation.item.create without an `item` object", "missing_required_parameter", "item", eventId);
    return;
  }
  const itemId = typeof item["id"] === "string" ? item["id"] : id("item_");
  const previous = s.lastItemId;
  switch (item["type"]) {
    case "function_call_output": {
      const callId = item["call_id"];
      const output = item["output"];
      if (typeof callId !== "string") {
        s.reject("tool_output", "function_call_output without a string call_id", "missing_required_parameter", "item.call_id", eventId);
        return;
      }
      if (typeof output !== "string") {
        s.reject("tool_output", `function_call_output for ${callId}: output must be a string (JSON-encode objects), got ${typeof output}`, "invalid_type", "item.output", eventId);
        return;
      }
      if (!s.functionCalls.some((c) => c.callId === callId)) {
        s.reject("tool_output", `function_call_output for unknown call_id ${callId}`, "invalid_value", "item.call_id", eventId);
        return;
      }
      if (!s.pendingCalls.has(callId)) s.violate("tool_output", `second function_call_output for call_id ${callId}`);
      s.pendingCalls.delete(callId);
      s.toolOutputs.push({ callId, output });
      s.since.toolOutput = true;
      s.addItem({ id: itemId, type: "function_call_output", role: undefined, audioMs: 0, transcript: output, callId });
      break;
    }
    case "message": {
      const role = item["role"];
      const content = item["content"];
      if (role !== "user" && role !== "system" && role !== "assistant") {
        s.reject("item_create", `message role must be user, system or assistant, got ${JSON.stringify(role)}`, "invalid_value", "item.role", eventId);
        return;
      }
      if (!Array.isArray(content) || content.length === 0) {
        s.reject("item_create", "message needs a non-empty `content` array", "invalid_value", "item.content", eventId);
        return;
      }
      const allowed = role === "assistant" ? ["output_text", "output_audio"] : role === "system" ? ["input_text"] : ["input_text", "input_audio", "input_image"];
      for (const c of content as Record<string, unknown>[]) {
        if (!allowed.includes(String(c?.["type"]))) {
          s.reject("item_create", `${role} message content type ${JSON.stringify(c?.["type"])} is not GA (expected ${allowed.join(" | ")})`, "invalid_value", "item.content.type", eventId);
          return;
        }
      }
      if (role === "user") s.since.text = true;
      const text = (content as Record<string, unknown>[]).map((c) => String(c["text"] ?? "")).join(" ");
      s.addItem({ id: itemId, type: "message", role, audioMs: 0, transcript: text });
      break;
    }
    case "function_call":
      s.addItem({ id: itemId, type: "function_call", role: undefined, audioMs: 0, transcript: "" });
      break;
    default:
      s.reject("item_create", `unsupported item type ${JSON.stringify(item["type"])}`, "invalid_value", "item.type", eventId);
      return;
  }
  const full = { ...item, id: itemId, object: "realtime.item", status: "completed" };
  s.emit({ type: "conversation.item.added", previous_item_id: previous, item: full as never });
  s.emit({ type: "conversation.item.done", previous_item_id: previous, item: full as never });
}

export function onTruncate(s: RealtimeSession, ev: Record<string, unknown>, eventId: string | null): void {
  const itemId = ev["item_id"];
  const audioEndMs = ev["audio_end_ms"];
  const contentIndex = ev["content_index"];
  if (typeof itemId !== "string") {
    s.reject("truncate", "conversation.item.truncate without item_id", "missing_required_parameter", "item_id", eventId);
    return;
  }
  if (contentIndex !== 0) {
    s.reject("truncate", `conversation.item.truncate content_index must be 0, got ${JSON.stringify(contentIndex)}`, "invalid_value", "content_index", eventId);
    return;
  }
  if (typeof audioEndMs !== "number" || !Number.isInteger(audioEndMs) || audioEndMs < 0) {
    s.reject("truncate", `audio_end_ms must be a non-negative integer, got ${JSON.stringify(audioEndMs)}`, "invalid_value", "audio_end_ms", eventId);
    return;
  }
  const item = s.items.get(itemId);
  if (!item) {
    s.reject("truncate", `conversation.item.truncate: no item ${itemId}`, "item_not_found", "item_id", eventId);
    return;
  }
  if (item.type !== "message" || item.role !== "assistant") {
    s.reject("truncate", `conversation.item.truncate: item ${itemId} is not an assistant audio message`, "invalid_value", "item_id", eventId);
    return;
  }
  if (audioEndMs > item.audioMs) {
    s.truncates.push({ itemId, audioEndMs, sentMs: item.audioMs, accepted: false });s.reject("truncate_past_audio", `Audio content of ${item.audioMs}ms is already shorter than ${audioEndMs}ms (truncate past the audio actually sent for ${itemId})`, "invalid_value", "audio_end_ms", eventId); return; 
  }
  s.truncates.push({ itemId, audioEndMs, sentMs: item.audioMs, accepted: true });
  item.audioMs = audioEndMs;
  s.emit({ type: "conversation.item.truncated", item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
}

export function onItemLookup(s: RealtimeSession, type: string, ev: Record<string, unknown>, eventId: string | null): void {
  const itemId = ev["item_id"];
  const item = typeof itemId === "string" ? s.items.get(itemId) : undefined;
  if (!item) {
    s.sendError("invalid_request_error", "item_not_found", `Item with item_id ${String(itemId)} not found`, "item_id", eventId);
    return;
  }
  if (type === "conversation.item.delete") {
    s.items.delete(item.id);
    s.emit({ type: "conversation.item.deleted", item_id: item.id });
  } else s.emit({ type: "conversation.item.retrieved", item: { id: item.id, type: item.type, object: "realtime.item", status: "completed" } as never } as never);
}
