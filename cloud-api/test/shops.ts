import { randomBytes } from 'node:crypto';
import { INSPECTION_AREAS, type EstablishmentInput } from '@ygsa/shared';
import { createTokenSigner } from '../src/http/tokens';
import { TEST_JWT_SECRET, TEST_REGULATOR_ID, signIn, type TestApi } from './helpers';

const tokens = createTokenSigner({ secret: TEST_JWT_SECRET, ttlSeconds: 3600 });
export const regulatorToken = tokens.sign(TEST_REGULATOR_ID, ['regulator']).token;
export const asRegulator = { Authorization: `Bearer ${regulatorToken}` };

let seq = 0;
const STARTED = String(Math.floor(Date.now() / 1000) % 1e4).padStart(4, '0');
/** A valid establishment, unique by licence number. */
export function shopInput(over: Partial<EstablishmentInput> = {}): EstablishmentInput {
  seq += 1;
  return {
    name: `测试餐馆${seq}`,
    licence: {
      // 16 characters: the process's start (4 digits) and a sequence (3) keep numbers unique.
      number: `JY1330102${STARTED}${String(seq % 1000).padStart(3, '0')}`,
      type: 'food_business',
      validFrom: '2024-01-01',
      validTo: '2029-12-31',
    },
    address: `示范路${seq}号`,
    district: '示范区',
    location: { lng: 120.155 + seq * 0.001, lat: 30.274, crs: 'GCJ02' },
    businessType: 'restaurant',
    floorAreaM2: 120,
    dinersPerMeal: 60,
    status: 'open',
    licensedAt: '2024-01-01',
    openingHours: '10:00-21:00',
    ...over,
  };
}

/** Full marks scaled to `total` (a multiple of 0.5 up to 100). */
export function scoresFor(total: number) {
  let left = total;
  return Object.fromEntries(
    INSPECTION_AREAS.map((a, i) => {
      const isLast = i === INSPECTION_AREAS.length - 1;
      const v = isLast ? left : Math.min(a.max, Math.max(0, Math.round(((a.max * total) / 100) * 2) / 2));
      left -= v;
      return [a.code, v];
    }),
  );
}

export const key = () => randomBytes(8).toString('hex');

export async function createShop(api: TestApi, over: Partial<EstablishmentInput> = {}) {
  const res = await api.http.post('/api/v1/regulator/establishments').set(asRegulator).send(shopInput(over));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string; name: string; licence: { number: string } };
}

export async function inspect(api: TestApi, id: string, date: string, total: number, findings: string[] = []) {
  const res = await api.http
    .post(`/api/v1/regulator/establishments/${id}/inspections`)
    .set(asRegulator)
    .send({ idempotencyKey: key(), date, inspector: '张检查', scores: scoresFor(total), findings });
  if (res.status !== 201) throw new Error(`inspection failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A person of the regulators' app bound with an administrator's invitation: their user id, name and
 * token (with the regulator role).
 */
export async function bindRegulator(
  api: TestApi,
  input: { role?: string; name: string; districts: string[]; certificateNo?: string },
) {
  const invited = await api.http
    .post('/api/v1/regulator/invitations')
    .set(asRegulator)
    .send({
      role: input.role ?? 'inspector',
      name: input.name,
      districts: input.districts,
      offices: [],
      certificateNo: input.certificateNo ?? `ZJ-${key().slice(0, 6)}`,
    });
  const person = await signIn(api, 'regulator', `regulator-${key()}`);
  const bound = await api.http
    .post('/api/v1/regulator/bind')
    .set({ Authorization: `Bearer ${person.token}` })
    .send({ code: invited.body.code });
  if (bound.status !== 200) throw new Error(`bind failed: ${bound.status} ${JSON.stringify(bound.body)}`);
  return { id: person.user.id as string, token: bound.body.token as string, name: input.name };
}
