// Calls the journeys make to the API directly (as a regulator, or to look things up).
export const API = () => process.env.YG_E2E_API_URL as string;

export const regulatorHeaders = () => ({
  Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
  'Content-Type': 'application/json',
});

export async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A regulator's owner invitation for a shop. */
export async function ownerCode(shopId: string): Promise<string> {
  const invitation = await json<{ code: string }>(
    await fetch(`${API()}/api/v1/regulator/establishments/${shopId}/invitations`, {
      method: 'POST',
      headers: regulatorHeaders(),
      body: JSON.stringify({ role: 'owner' }),
    }),
  );
  return invitation.code;
}

export async function shopIdOf(name: string): Promise<string> {
  const search = await json<{ items: { id: string }[] }>(
    await fetch(`${API()}/api/v1/public/shops?q=${encodeURIComponent(name)}`),
  );
  const id = search.items[0]?.id;
  if (!id) throw new Error(`no demo shop named ${name}`);
  return id;
}

/** As a regulator: POST a JSON body, expecting success. */
export async function regulatorPost<T>(path: string, body: unknown): Promise<T> {
  return json<T>(
    await fetch(`${API()}${path}`, { method: 'POST', headers: regulatorHeaders(), body: JSON.stringify(body) }),
  );
}
