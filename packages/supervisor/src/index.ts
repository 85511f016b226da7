export { type Child, type ChildOptions, describeExit, type ExitStatus, isAlive, type ReadyResult, spawnChild, waitUntilReady } from "./child.ts";
export { type Backoff, createSupervisor, type ServiceSpec, ServiceStartError, type ServiceState, type Supervisor, type SupervisorOptions } from "./supervisor.ts";
export { freePort } from "./ports.ts";
