import type { AgentProfile } from "../../protocol/agent.ts";
import type {
  AgentsResponse,
  HttpError,
  LoginBody,
  LoginResponse,
  NewAgentBody,
} from "../../protocol/http.ts";

/**
 * The outcome of a relay HTTP call. `status` is 0 when the relay could not be reached;
 * `message` is the relay's own explanation where it sent one.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** The relay's agent HTTP routes. */
export type RelayApi = {
  login(body: LoginBody): Promise<ApiResult<LoginResponse>>;
  logout(token: string): Promise<ApiResult<null>>;
  listAgents(token: string): Promise<ApiResult<AgentProfile[]>>;
  addAgent(token: string, body: NewAgentBody): Promise<ApiResult<AgentProfile>>;
};

const UNREACHABLE = "Cannot reach the relay. Check your connection and try again.";
const FALLBACK_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Only admins can do that.",
};

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as Partial<HttpError>;
    if (typeof body.message === "string" && body.message) return body.message;
  } catch {
    // Not JSON: fall through to a generic message.
  }
  return FALLBACK_MESSAGES[response.status] ?? `The relay answered ${response.status}.`;
}

/**
 * The relay API over `fetch`, on the console's own origin.
 *
 * @example
 * const api = createRelayApi({ fetch: fakeFetch });
 * const result = await api.login({ email, password });
 * if (result.ok) use(result.value.token);
 */
export function createRelayApi({
  fetch: doFetch = (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
}: {
  fetch?: typeof fetch;
} = {}): RelayApi {
  async function call<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; read: (response: Response) => Promise<T> },
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(path, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
      });
    } catch {
      return { ok: false, status: 0, message: UNREACHABLE };
    }
    if (!response.ok) {
      return { ok: false, status: response.status, message: await errorMessage(response) };
    }
    try {
      return { ok: true, value: await options.read(response) };
    } catch {
      return {
        ok: false,
        status: response.status,
        message: "The relay sent an unreadable answer.",
      };
    }
  }
  const json = <T>(response: Response) => response.json() as Promise<T>;
  return {
    login: (body) => call("POST", "/api/login", { body, read: json<LoginResponse> }),
    logout: (token) => call("POST", "/api/logout", { token, read: async () => null }),
    listAgents: (token) =>
      call("GET", "/api/agents", {
        token,
        read: async (response) => ((await response.json()) as AgentsResponse).agents,
      }),
    addAgent: (token, body) =>
      call("POST", "/api/agents", { token, body, read: json<AgentProfile> }),
  };
}

/** The API of the relay that serves this console. */
export const relayApi = createRelayApi();
