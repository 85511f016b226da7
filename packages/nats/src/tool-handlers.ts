import { type RequestEnvelope, type ServiceName, type ServiceTools, TOOLS, type ToolArgs, type ToolName, type ToolResult, toolSubject } from "@orderline/contracts";
import type { HandlerContext, ToolHandler } from "./handler.ts";

/** One registry tool's implementation: arguments and result typed by `TOOLS[N]` (no casts at the call site). */
export type ToolImpl<N extends ToolName> = (args: ToolArgs<N>, envelope: RequestEnvelope, ctx: HandlerContext) => Promise<ToolResult<N>> | ToolResult<N>;

/** An implementation for every tool the registry assigns to the service: a missing or foreign tool is a type error. */
export type ToolImpls<S extends ServiceName> = { [N in ServiceTools<S>]: ToolImpl<N> };

/**
 * The handlers of a service's registry tools, like the endpoints of a nats.js service: subject from
 * `toolSubject(name, subjectPrefix)`, arguments and result validated with the registry's schemas.
 *
 * ```ts
 * serveTools(nc, { service: "menu-service", handlers: toolHandlers("menu", { get_menu: (args, envelope) => getMenu(deps, args, envelope), … }) });
 * ```
 */
export function toolHandlers<S extends ServiceName>(service: S, impls: ToolImpls<S>, opts: { subjectPrefix?: string } = {}): ToolHandler[] {
  return (Object.keys(impls) as ServiceTools<S>[]).map((name) => {
    const def = TOOLS[name];
    if (def.service !== service) throw new Error(`toolHandlers: ${name} belongs to the ${def.service} service, not ${service}`);
    // The one place the per-tool types meet the list of general handlers; the mapped type checked them above.
    const impl = impls[name] as ToolImpl<ToolName>;
    return {
      subject: toolSubject(name, opts.subjectPrefix ?? ""),
      tool: name,
      args: def.args,
      result: def.result,
      handle: (args: unknown, envelope: RequestEnvelope, ctx: HandlerContext) => impl(args as ToolArgs<ToolName>, envelope, ctx),
    };
  });
}
