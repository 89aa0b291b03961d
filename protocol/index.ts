export * from "./agent.ts";
export * from "./chat.ts";
export * from "./http.ts";
export * from "./ids.ts";
export * from "./limits.ts";
export * from "./pointer.ts";
export * from "./source.ts";
export * from "./visitor.ts";
