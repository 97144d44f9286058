// The index rule of scripts/lib/query-shapes.cjs (equality, then sort, then range), as a table.
import {
  checkShapes,
  classifyFilter,
  describeShape,
  normalizeSort,
  servedBy,
  type IndexShape,
  type QueryShape,
} from '../../scripts/lib/query-shapes.cjs';

const ix = (name: string, key: Record<string, 1 | -1>): IndexShape => ({ name, key });
const INDEXES = [
  ix('by_shop', { establishmentId: 1, createdAt: -1 }),
  ix('by_office', { office: 1, status: 1, deadline: 1 }),
  ix('slot', { slot: 1 }),
  { name: 'member', key: { shop: 1, user: 1 }, unique: true },
];

function shape(filter: unknown, sort: unknown = undefined, limit = false): QueryShape {
  return {
    collection: 'c',
    op: 'find',
    filter: classifyFilter(filter),
    sort: normalizeSort(sort),
    limit,
    indexes: INDEXES,
  };
}

describe('the equality–sort–range rule', () => {
  const id = '65a000000000000000000001';
  it.each<[string, unknown, unknown, boolean, string | false]>([
    ['_id equality, whatever else', { _id: id, anything: { $gt: 1 } }, { other: 1 }, false, '_id_'],
    ['_id $in', { _id: { $in: [id] } }, undefined, false, '_id_'],
    ['equality on the leading key', { establishmentId: id }, undefined, false, 'by_shop'],
    ['equality then sort in order', { establishmentId: id }, { createdAt: -1 }, false, 'by_shop'],
    ['the sort all reversed', { establishmentId: id }, { createdAt: 1 }, false, 'by_shop'],
    ['equality in any order', { status: 'open', office: 'x' }, { deadline: 1 }, false, 'by_office'],
    ['$in counts as equality', { office: { $in: ['a', 'b'] }, status: { $eq: 'open' } }, undefined, false, 'by_office'],
    [
      'equality, then a range after it',
      { office: 'x', status: 'open', deadline: { $lt: 1 } },
      undefined,
      false,
      'by_office',
    ],
    ['a range on the first key', { slot: { $lt: new Date() } }, undefined, false, 'slot'],
    [
      'a range on a key the index lacks, after equality',
      { establishmentId: id, x: { $ne: 1 } },
      undefined,
      false,
      'by_shop',
    ],
    ['a sorted walk that stops early', {}, { slot: -1 }, true, 'slot'],
    [
      'sorting on an equality field is free',
      { establishmentId: id },
      { establishmentId: 1, createdAt: -1 },
      false,
      'by_shop',
    ],
    ['an equality field the index lacks', { establishmentId: id, kind: 'a' }, undefined, false, false],
    ['equality not on the leading key', { status: 'open' }, undefined, false, false],
    ['equality on a middle key only', { office: 'x', deadline: 1 }, undefined, false, false],
    ['a sort the index does not follow', { establishmentId: id }, { other: 1 }, false, false],
    ['mixed directions against the index', { office: 'x' }, { status: 1, deadline: -1 }, false, false],
    ['a range before the sort', { office: 'x', status: { $gt: 'a' } }, { deadline: 1 }, false, false],
    ['a range on a key that is not first', { status: { $gt: 'a' } }, undefined, false, false],
    ['a regex is a range: on a first key, served', { office: /^x/ }, undefined, false, 'by_office'],
    ['$exists is a range: not on a first key, unserved', { status: { $exists: true } }, undefined, false, false],
    [
      '$ne is a range: after the equality, served',
      { office: 'x', status: { $ne: 'x' } },
      undefined,
      false,
      'by_office',
    ],
    ['the empty filter', {}, undefined, false, false],
    ['the empty filter, even with a limit', {}, undefined, true, false],
    ['a sorted walk of the whole index (no limit)', {}, { slot: 1 }, false, false],
    [
      '$or: every branch served',
      { $or: [{ establishmentId: id }, { office: 'x' }] },
      undefined,
      false,
      'by_shop | by_office',
    ],
    ['$or: one branch unserved', { $or: [{ establishmentId: id }, { status: 'open' }] }, undefined, false, false],
    [
      '$or with the fields around it',
      { office: 'x', $or: [{ status: 'a' }, { status: 'b' }] },
      undefined,
      false,
      'by_office',
    ],
    ['$and flattens', { $and: [{ office: 'x' }, { status: 'a' }] }, { deadline: 1 }, false, 'by_office'],
    [
      'every key of a unique index, whatever else',
      { user: 'u', shop: 's', revokedAt: null },
      undefined,
      false,
      'member',
    ],
    ['part of a unique index only', { shop: 's', revokedAt: null }, undefined, false, false],
    ['$expr is never indexed', { $expr: { $gt: ['$a', '$b'] } }, undefined, false, false],
  ])('%s', (_name, filter, sort, limit, expected) => {
    const verdict = servedBy(shape(filter, sort, limit));
    expect(verdict.served ? verdict.index : false).toBe(expected);
  });

  it('classifies values, operators and sub-documents', () => {
    expect(classifyFilter({ a: 1, b: null, c: [1], d: { x: 1 }, e: { $gte: 1 }, f: { $in: [1] }, g: /x/ })).toEqual({
      eq: ['a', 'b', 'c', 'd', 'f'],
      range: ['e', 'g'],
      or: [],
    });
    expect(normalizeSort('-createdAt name')).toEqual([
      ['createdAt', -1],
      ['name', 1],
    ]);
    expect(normalizeSort({ a: 'desc', b: 1 })).toEqual([
      ['a', -1],
      ['b', 1],
    ]);
  });

  it('names a shape in one line, the key of the allow-list', () => {
    const s = { ...shape({ establishmentId: 1, at: { $gt: 1 } }, { at: -1 }, true), collection: 'audit_log' };
    expect(describeShape(s)).toBe('audit_log find {establishmentId=, at~} sort {at:-1} limit');
  });

  it('reports the unserved, applies the allow-list, and leaves out what only the tests sent', () => {
    const full = { ...shape({}), collection: 'jobs' };
    const test = { ...shape({ status: 'x' }), from: 'test' as const };
    const r = checkShapes(
      [shape({ establishmentId: 1 }), shape({ status: 'x' }), full, full, test],
      [
        { shape: 'jobs find {}', reason: 'a handful of documents' },
        { shape: 'gone find {}', reason: 'no longer sent' },
      ],
    );
    expect(r.total).toBe(3);
    expect(r.fromTests).toBe(0);
    expect(r.unserved.map((u) => u.line)).toEqual(['c find {status=}']);
    expect(r.allowed.map((a) => a.reason)).toEqual(['a handful of documents']);
    expect(r.unusedAllowed.map((a) => a.shape)).toEqual(['gone find {}']);
  });
});
