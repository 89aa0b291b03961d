import type { AgentProfile } from "../../protocol/agent.ts";
import type { CannedResponse, ChatFile } from "../../protocol/chat.ts";
import type {
  AgentPasswordBody,
  AgentRemoveBody,
  AgentRoleBody,
  AgentsResponse,
  HttpError,
  LoginBody,
  LoginResponse,
  NewAgentBody,
  PasswordChangeBody,
  PasswordChangeResponse,
  SiteDeleteBody,
  SiteSettingsBody,
  SiteSettingsResponse,
  VisitorForgetBody,
} from "../../protocol/http.ts";
import type { PointerTokenResponse } from "../../protocol/pointer.ts";

/**
 * The outcome of a relay HTTP call. `status` is 0 when the relay could not be reached;
 * `message` is the relay's own explanation where it sent one.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** The relay's agent HTTP routes. */
export type RelayApi = {
  login(body: LoginBody): Promise<ApiResult<LoginResponse>>;
  logout(token: string): Promise<ApiResult<null>>;
  /** The agent's own password; the answer's token replaces this session's. */
  changePassword(
    token: string,
    body: PasswordChangeBody,
  ): Promise<ApiResult<PasswordChangeResponse>>;
  listAgents(token: string): Promise<ApiResult<AgentProfile[]>>;
  addAgent(token: string, body: NewAgentBody): Promise<ApiResult<AgentProfile>>;
  /** Another agent's password (admins); every session of that agent ends. */
  setAgentPassword(token: string, body: AgentPasswordBody): Promise<ApiResult<null>>;
  setAgentRole(token: string, body: AgentRoleBody): Promise<ApiResult<AgentProfile>>;
  /** Removes another agent from the site (admins); answers with whom it removed. */
  removeAgent(token: string, body: AgentRemoveBody): Promise<ApiResult<AgentProfile>>;
  /** Deletes everything stored of a visitor (admins). */
  forgetVisitor(token: string, body: VisitorForgetBody): Promise<ApiResult<null>>;
  getSite(token: string): Promise<ApiResult<SiteSettingsResponse>>;
  updateSite(token: string, body: SiteSettingsBody): Promise<ApiResult<SiteSettingsResponse>>;
  /** Deletes the site for good (admins), with its id as `confirm`; every session ends. */
  deleteSite(token: string, body: SiteDeleteBody): Promise<ApiResult<null>>;
  /** A new identity secret (admins); the previous one keeps verifying for a day. */
  rotateIdentitySecret(token: string): Promise<ApiResult<SiteSettingsResponse>>;
  getCanned(token: string): Promise<ApiResult<CannedResponse[]>>;
  saveCanned(token: string, canned: CannedResponse[]): Promise<ApiResult<CannedResponse[]>>;
  /** Stores a file for a chat message; its id then goes in `chat:send`. */
  upload(token: string, file: File): Promise<ApiResult<ChatFile>>;
  /** A short-lived token that lets the picker run in the pointer frame of this chat's page. */
  pointerToken(token: string, chatId: string): Promise<ApiResult<PointerTokenResponse>>;
};

const UNREACHABLE = "Cannot reach the relay. Check your connection and try again.";
const FALLBACK_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Only admins can do that.",
  413: "That is too large for the relay.",
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
    options: {
      token?: string;
      body?: unknown;
      /** Sent as it is (uploads), with these extra headers. */
      raw?: { body: Blob; headers: Record<string, string> };
      read: (response: Response) => Promise<T>;
    },
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    Object.assign(headers, options.raw?.headers);
    let response: Response;
    try {
      response = await doFetch(path, {
        method,
        headers,
        body:
          options.raw?.body ?? (options.body === undefined ? null : JSON.stringify(options.body)),
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
  const cannedList = async (response: Response) =>
    ((await response.json()) as { canned: CannedResponse[] }).canned;
  return {
    login: (body) => call("POST", "/api/login", { body, read: json<LoginResponse> }),
    logout: (token) => call("POST", "/api/logout", { token, read: async () => null }),
    changePassword: (token, body) =>
      call("POST", "/api/password", { token, body, read: json<PasswordChangeResponse> }),
    listAgents: (token) =>
      call("GET", "/api/agents", {
        token,
        read: async (response) => ((await response.json()) as AgentsResponse).agents,
      }),
    addAgent: (token, body) =>
      call("POST", "/api/agents", { token, body, read: json<AgentProfile> }),
    setAgentPassword: (token, body) =>
      call("POST", "/api/agents/password", { token, body, read: async () => null }),
    setAgentRole: (token, body) =>
      call("POST", "/api/agents/role", { token, body, read: json<AgentProfile> }),
    removeAgent: (token, body) =>
      call("POST", "/api/agents/remove", { token, body, read: json<AgentProfile> }),
    forgetVisitor: (token, body) =>
      call("POST", "/api/visitors/forget", { token, body, read: async () => null }),
    getSite: (token) => call("GET", "/api/site", { token, read: json<SiteSettingsResponse> }),
    updateSite: (token, body) =>
      call("PUT", "/api/site", { token, body, read: json<SiteSettingsResponse> }),
    deleteSite: (token, body) =>
      call("DELETE", "/api/site", { token, body, read: async () => null }),
    rotateIdentitySecret: (token) =>
      call("POST", "/api/site/identity-secret", { token, read: json<SiteSettingsResponse> }),
    getCanned: (token) => call("GET", "/api/canned", { token, read: cannedList }),
    saveCanned: (token, canned) =>
      call("PUT", "/api/canned", { token, body: { canned }, read: cannedList }),
    upload: (token, file) =>
      call("POST", "/api/uploads", {
        token,
        raw: {
          body: file,
          headers: {
            "content-type": file.type || "application/octet-stream",
            // Header values must be Latin-1; the relay decodes the name.
            "x-file-name": encodeURIComponent(file.name),
          },
        },
        read: json<ChatFile>,
      }),
    pointerToken: (token, chatId) =>
      call("POST", "/api/pointer", { token, body: { chatId }, read: json<PointerTokenResponse> }),
  };
}

/** The API of the relay that serves this console. */
export const relayApi = createRelayApi();
