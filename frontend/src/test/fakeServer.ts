import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

/**
 * What a fake route answers; `network: true` means no answer at all, `timeout: true` an answer
 * that did not come in time (the client gave up).
 */
export type FakeReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { network: true }
  | { timeout: true };

export interface FakeRequest {
  method: string;
  url: string;
  params: Record<string, unknown>;
  headers: AxiosHeaders;
  body: unknown;
}

type Handler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * A hand-written stand-in for the gateway, plugged in as the axios adapter: routes answer like
 * the real API (problem+json errors included) and every request is recorded.
 */
export class FakeServer {
  readonly requests: FakeRequest[] = [];
  private readonly routes = new Map<string, Handler>();

  /** Answer `METHOD /path` with `reply` (a fixed reply, or a function of the request). */
  on(route: string, reply: FakeReply | Handler): this {
    this.routes.set(route, typeof reply === 'function' ? reply : () => reply);
    return this;
  }

  /** The requests made to `METHOD /path`. */
  calls(route: string): FakeRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.url}` === route);
  }

  /** Header `name` of each request made to `METHOD /path`, in order (undefined where absent). */
  headerOf(route: string, name: string): (string | undefined)[] {
    return this.calls(route).map((request) => {
      const value = request.headers.get(name);
      return typeof value === 'string' ? value : undefined;
    });
  }

  /** A fresh axios instance whose requests this fake answers. */
  client(): AxiosInstance {
    return this.install(axios.create());
  }

  /** Answer the requests of an existing instance (the app's shared client) from now on. */
  install(instance: AxiosInstance): AxiosInstance {
    instance.defaults.adapter = (config) => this.handle(config);
    return instance;
  }

  private async handle(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const method = (config.method ?? 'get').toUpperCase();
    const url = config.url ?? '';
    const request: FakeRequest = {
      method,
      url,
      params: (config.params ?? {}) as Record<string, unknown>,
      headers: AxiosHeaders.from(config.headers),
      body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
    };
    this.requests.push(request);
    const handler = this.routes.get(`${method} ${url}`);
    const reply: FakeReply = pageTooLarge(request)
      ? tooLargePage
      : handler
        ? await handler(request)
        : { status: 404, body: { type: 'about:blank', title: 'Not found', status: 404 } };
    if ('network' in reply) throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, config);
    if ('timeout' in reply) {
      throw new AxiosError(`timeout of ${config.timeout ?? 0}ms exceeded`, AxiosError.ECONNABORTED, config);
    }
    const response: AxiosResponse = {
      status: reply.status,
      statusText: String(reply.status),
      data: reply.body ?? '',
      headers: new AxiosHeaders(reply.headers ?? {}),
      config,
    };
    if (reply.status >= 200 && reply.status < 300) return response;
    const code = reply.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
    throw new AxiosError(`Request failed with status code ${reply.status}`, code, config, null, response);
  }
}

/** A problem+json document, as every service renders errors. */
export function problem(
  status: number,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): FakeReply {
  return {
    status,
    body: { type: 'about:blank', title: `HTTP ${status}`, status, ...extra },
    headers: { 'content-type': 'application/problem+json', ...headers },
  };
}

/** Every collection of the real API pages at most this many items (`itemsPerPage` ≤ 100). */
const MAX_ITEMS_PER_PAGE = 100;

const tooLargePage: FakeReply = {
  status: 422,
  body: {
    type: 'about:blank',
    title: 'Unprocessable content',
    status: 422,
    errors: [{ field: 'itemsPerPage', message: `must be at most ${MAX_ITEMS_PER_PAGE}` }],
  },
};

/** Like the real services: a page larger than the API allows is refused, not served. */
function pageTooLarge(request: FakeRequest): boolean {
  return Number(request.params.itemsPerPage ?? 0) > MAX_ITEMS_PER_PAGE;
}
