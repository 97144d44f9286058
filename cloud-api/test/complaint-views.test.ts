import { Types } from 'mongoose';
import {
  ComplaintViewSchema,
  OperatorComplaintSchema,
  SimilarComplaintSchema,
  type ComplaintStatus,
} from '@ygsa/shared';
import type { ComplaintDoc } from '../src/modules/complaints/complaint.model';
import {
  dinerView,
  filerView,
  openDataView,
  operatorMaySee,
  operatorView,
  regulatorView,
} from '../src/modules/complaints/views';

/**
 * One complaint, seen by each audience. Every identifying value the filer gave is distinctive here,
 * so a view that leaks one is caught by a plain search of its JSON.
 */
const FILER = {
  userId: '65a0000000000000000000f1',
  name: '欧阳小明',
  phone: '13912345678',
  address: '示范区隐私路 99 号 3 单元',
  request: '要求退款并赔偿',
};
const WORDS = '我住在店楼上，昨晚在这家店吃饭后腹泻，饺子里有塑料片';
const FILED_AT = { lng: 120.123456789, lat: 30.987654321 };
const SHOP_AT = { lng: 120.1551, lat: 30.2741 };
const PHOTO = 'a'.repeat(64);

function complaint(over: Partial<ComplaintDoc> = {}): ComplaintDoc {
  const at = new Date('2026-11-20T02:00:00Z');
  return {
    _id: new Types.ObjectId('65a0000000000000000000c1'),
    number: 'TS20261120ABC123',
    type: 'complaint',
    category: 'foreign_object',
    description: WORDS,
    photos: [PHOTO],
    establishmentId: new Types.ObjectId('65a0000000000000000000e1'),
    shopName: '金穗饺子馆',
    shopLocation: SHOP_AT,
    groupId: null,
    location: FILED_AT,
    office: '示范区市场监督管理所',
    district: '示范区',
    outsideDistricts: false,
    status: 'accepted' as ComplaintStatus,
    deadline: '2027-01-26',
    deadlineComplete: true,
    complainant: { ...FILER, phoneVerified: true },
    descriptionCheck: 'pass',
    deviceKeyHash: null,
    upheld: null,
    timeline: [
      { status: 'submitted', at, by: 'public', note: '' },
      {
        status: 'accepted',
        at: new Date('2026-11-21T02:00:00Z'),
        by: '65a000000000000000000001',
        note: '已受理，将组织调解',
      },
    ],
    idempotencyKey: 'k1',
    createdAt: at,
    updatedAt: at,
    ...over,
  } as ComplaintDoc;
}

const IDENTITY = [FILER.userId, FILER.name, FILER.phone, FILER.address, FILER.request];
const POSITION = [String(FILED_AT.lng), String(FILED_AT.lat), '120.1234', '30.9876'];
const leaks = (view: unknown, values: string[]) => values.filter((v) => JSON.stringify(view).includes(v));

describe('what a complaint looks like to each audience', () => {
  it('the filer: what they sent and how it moves, without their identity fields or position', () => {
    const view = filerView(complaint(), 2, '2026-11-22');
    expect(ComplaintViewSchema.strict().parse(view)).toEqual(view);
    expect(view).toMatchObject({ description: WORDS, photos: [PHOTO], joinedCount: 2 });
    expect(view.timeline.map((t) => t.note)).toEqual(['', '已受理，将组织调解']);
    expect(leaks(view, [...IDENTITY, ...POSITION])).toEqual([]);
  });

  it('an anonymous reporter: the status moves, the outcome is not told', () => {
    const view = filerView(complaint({ type: 'report', complainant: null }), 0);
    expect(view.timeline.map((t) => t.note)).toEqual(['', '']);
  });

  it('another diner (similar complaints nearby): kind, state, distance in 10 m steps, date — nothing else', () => {
    const view = dinerView(complaint(), 12.3, 3);
    expect(SimilarComplaintSchema.strict().parse(view)).toEqual(view);
    expect(Object.keys(view).sort()).toEqual([
      'categoryLabel',
      'createdAt',
      'distanceM',
      'id',
      'parties',
      'statusLabel',
    ]);
    expect(view.distanceM).toBe(20);
    expect(dinerView(complaint(), 0.4, 1).distanceM).toBe(10);
    expect(leaks(view, [...IDENTITY, ...POSITION, WORDS, PHOTO, 'TS20261120ABC123'])).toEqual([]);
  });

  it("the shop's operators: what the office did and wrote; no identity, words, photos or position", () => {
    const view = operatorView(complaint());
    expect(OperatorComplaintSchema.strict().parse(view)).toEqual(view);
    expect(view.steps).toEqual([{ statusLabel: '已受理', at: '2026-11-21T02:00:00.000Z', note: '已受理，将组织调解' }]);
    expect(leaks(view, [...IDENTITY, ...POSITION, WORDS, PHOTO])).toEqual([]);
  });

  it('the shop sees accepted 投诉 only: not a 举报, not one still waiting for acceptance or refused', () => {
    expect(operatorMaySee(complaint())).toBe(true);
    expect(operatorMaySee(complaint({ type: 'report' }))).toBe(false);
    expect(operatorMaySee(complaint({ status: 'submitted' }))).toBe(false);
    expect(operatorMaySee(complaint({ status: 'not_accepted' }))).toBe(false);
    expect(operatorMaySee(complaint({ status: 'resolved' }))).toBe(true);
  });

  it('regulators: every field, identity and position included, and the parties', () => {
    const party = complaint({ _id: new Types.ObjectId('65a0000000000000000000c2'), number: 'TS20261121XYZ999' });
    const view = regulatorView(complaint(), [party]);
    expect(view.complainant).toEqual({
      name: FILER.name,
      phone: FILER.phone,
      phoneVerified: true,
      address: FILER.address,
      request: FILER.request,
    });
    expect(view.location).toEqual(FILED_AT);
    expect(view.description).toBe(WORDS);
    expect(view.parties).toEqual([expect.objectContaining({ number: 'TS20261121XYZ999' })]);
    expect(view.timeline[1]?.by).toBe('65a000000000000000000001');
  });

  it("open data: the shop's public position, never the filer's; no identity, words or photos", () => {
    const view = openDataView(complaint(), SHOP_AT);
    expect(view).toMatchObject({ lat: SHOP_AT.lat, long: SHOP_AT.lng, service_code: 'foreign_object', status: 'open' });
    expect(leaks(view, [...IDENTITY, ...POSITION, WORDS, PHOTO])).toEqual([]);
  });

  it("open data without a known shop position: the filer's position coarsened to about 1 km", () => {
    const view = openDataView(complaint({ shopLocation: null }), null);
    expect(view).toMatchObject({ lat: 30.99, long: 120.12 });
    expect(leaks(view, POSITION)).toEqual([]);
  });

  it("open data of a place not listed: named only as such, never in the filer's own words", () => {
    const place = '我房东在幸福里 3 号楼下摆的烧烤摊';
    const view = openDataView(complaint({ establishmentId: null, shopName: place, shopLocation: null }), null);
    expect(view).toMatchObject({ address: '未登记经营场所', description: '投诉：未登记经营场所' });
    expect(leaks(view, [place, ...POSITION])).toEqual([]);
  });
});
