import { XMLParser, XMLValidator } from "fast-xml-parser";

/** One TwiML element: `<Say voice="marin">Hi</Say>` → { name: "Say", attrs: { voice: "marin" }, text: "Hi", children: [] }. */
export type TwimlNode = {
  name: string;
  attrs: Record<string, string>;
  /** Concatenated text content (trimmed), "" when none. */
  text: string;
  children: TwimlNode[];
};

/** TwiML that Twilio would refuse (Twilio error 12100 "Document parse failure"). */
export class TwimlParseError extends Error {
  override readonly name = "TwimlParseError";
  readonly twilioErrorCode = 12100;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type RawNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function toNode(raw: RawNode): TwimlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ":@");
  if (name === undefined || name === "#text" || name.startsWith("?")) return undefined;
  const kids = (raw[name] as RawNode[] | undefined) ?? [];
  const children: TwimlNode[] = [];
  let text = "";
  for (const kid of kids) {
    if ("#text" in kid) text += String(kid["#text"]);
    else {
      const node = toNode(kid);
      if (node) children.push(node);
    }
  }
  return { name, attrs: { ...(raw[":@"] ?? {}) }, text: text.trim(), children };
}

/** Parses a TwiML document and returns its `<Response>` root, or throws TwimlParseError saying why. */
export function parseTwiml(xml: string): TwimlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new TwimlParseError(`TwiML is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const roots = (parser.parse(xml) as RawNode[]).map(toNode).filter((n): n is TwimlNode => n !== undefined);
  const root = roots[0];
  if (!root || roots.length !== 1 || root.name !== "Response") {
    throw new TwimlParseError(`TwiML must have exactly one <Response> root element, got ${roots.map((r) => `<${r.name}>`).join(", ") || "none"}`);
  }
  return root;
}
