/** A request as the API client hands it to the platform (Taro.request in WeChat, fetch in H5). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** JSON text, when there is a body. */
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
}

/** Sends one request. Rejects only when no HTTP response arrived (network down, timeout). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** A transport on the WHATWG fetch API, for H5 builds and Node. */
export function createFetchTransport(fetchImpl: typeof fetch = globalThis.fetch): Transport {
  return async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const res = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const text = await res.text();
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      return { status: res.status, body };
    } finally {
      clearTimeout(timer);
    }
  };
}
