// @ts-check
// Query shapes and the index rule (pure: no I/O). The API tests record the shape of every query
// they send (cloud-api/test/setup/query-shapes.ts, with classifyFilter and normalizeSort below);
// scripts/check-query-shapes.mjs then asks servedBy() whether a declared index serves each one.
//
// The rule is equality–sort–range (ESR): an index serves a query when its leading keys are all the
// equality fields (any order among them), then the sort fields in order (every direction as
// declared, or every one reversed), and the range fields, if the index has them, only after
// those. An equality on _id is always served. A query with $or is served when every branch (with
// the fields outside the $or) is served. So is an equality on every key of a unique index (one
// document at most, like _id). A query with no equality and no range field reads the
// whole collection: never served, except an index walk in sort order that stops early (a limit).

/**
 * @typedef {{ eq: string[], range: string[], or: FilterShape[][] }} FilterShape
 *   eq: fields compared by equality (a plain value, $eq, $in); range: every other condition
 *   ($gt…, $ne, $nin, $exists, a regex, $elemMatch, $expr…); or: each $or, as its branches.
 * @typedef {[string, 1 | -1]} SortKey
 * @typedef {{ name: string, key: Record<string, unknown>, unique?: boolean }} IndexShape
 * @typedef {{
 *   collection: string,
 *   op: string,
 *   filter: FilterShape,
 *   sort: SortKey[],
 *   limit: boolean,
 *   indexes: IndexShape[],
 *   model?: string,
 *   at?: string,
 *   from?: 'api' | 'test' | 'unknown',
 * }} QueryShape
 *   limit: the query stops after a bounded number of documents (findOne, a limit, updateOne…).
 *   at, from: where it was sent from (the first frame in cloud-api/src, else in a test file); a
 *   test's own reads (from: 'test') are not the API's and are not checked.
 * @typedef {{ served: true, index: string } | { served: false, why: string }} Verdict
 * @typedef {{ shape: string, reason: string }} AllowEntry
 */

const EQ_OPERATORS = new Set(['$eq', '$in']);
/** Top-level operators that say nothing about which documents match. */
const IGNORED_OPERATORS = new Set(['$comment']);

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * How a field's condition reads an index: 'eq' for a value (an ObjectId, a date, a whole
 * sub-document, an array, null), $eq or $in; 'range' for anything else.
 * @param {unknown} condition @returns {'eq' | 'range'}
 */
function conditionKind(condition) {
  if (condition instanceof RegExp) return 'range';
  if (!isPlainObject(condition)) return 'eq';
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys.some((k) => k.startsWith('$'))) return 'eq';
  return keys.every((k) => EQ_OPERATORS.has(k)) ? 'eq' : 'range';
}

/** @returns {FilterShape} */
const emptyFilter = () => ({ eq: [], range: [], or: [] });

/** @param {FilterShape} shape @returns {FilterShape} sorted, a field counted once (eq wins) */
function tidy(shape) {
  const eq = [...new Set(shape.eq)].sort();
  const range = [...new Set(shape.range)].filter((f) => !eq.includes(f)).sort();
  return { eq, range, or: shape.or };
}

/**
 * The shape of a MongoDB filter: which fields it compares by equality, which by range, and its
 * $or branches ($and is flattened into its parent).
 * @param {unknown} filter @returns {FilterShape}
 */
function classifyFilter(filter) {
  const shape = emptyFilter();
  if (!isPlainObject(filter)) return shape;
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined || IGNORED_OPERATORS.has(key)) continue;
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) {
        const sub = classifyFilter(part);
        shape.eq.push(...sub.eq);
        shape.range.push(...sub.range);
        shape.or.push(...sub.or);
      }
    } else if (key === '$or' && Array.isArray(condition)) {
      shape.or.push(condition.map((branch) => classifyFilter(branch)));
    } else if (key.startsWith('$')) {
      // $nor, $expr, $where, $text…: no index bound; named as the operator so that no index has it.
      shape.range.push(key);
    } else {
      shape[conditionKind(condition)].push(key);
    }
  }
  return tidy(shape);
}

/**
 * A query's sort as [field, 1 | -1] pairs, from what mongoose keeps (an object, a Map, pairs or a
 * string such as '-createdAt name').
 * @param {unknown} sort @returns {SortKey[]}
 */
function normalizeSort(sort) {
  if (sort == null) return [];
  /** @type {[string, unknown][]} */
  let pairs;
  if (typeof sort === 'string') {
    pairs = sort
      .split(/\s+/)
      .filter(Boolean)
      .map((f) => (f.startsWith('-') ? [f.slice(1), -1] : [f.replace(/^\+/, ''), 1]));
  } else if (sort instanceof Map) pairs = [...sort.entries()];
  else if (Array.isArray(sort)) pairs = sort.map((p) => (Array.isArray(p) ? [String(p[0]), p[1]] : [String(p), 1]));
  else if (typeof sort === 'object') pairs = Object.entries(sort);
  else return [];
  return pairs.map(([field, dir]) => [field, direction(dir)]);
}

/** @param {unknown} dir @returns {1 | -1} */
function direction(dir) {
  if (dir === -1 || dir === '-1' || dir === 'desc' || dir === 'descending') return -1;
  return 1;
}

/**
 * Why the index does not serve the conjunction, or null when it does.
 * @param {string[]} eq @param {string[]} range @param {SortKey[]} sort @param {boolean} limit
 * @param {IndexShape} index @returns {string | null}
 */
function missOf(eq, range, sort, limit, index) {
  /** @type {[string, number][]} */
  const keys = Object.entries(index.key)
    .filter(([, d]) => typeof d === 'number' || /^-?1$/.test(String(d)))
    .map(([f, d]) => [f, Math.sign(Number(d))]);
  const effectiveSort = sort.filter(([f]) => !eq.includes(f));
  // 1. Equality fields first, in any order among them.
  const lead = keys.slice(0, eq.length).map(([f]) => f);
  if (lead.length < eq.length || !eq.every((f) => lead.includes(f))) return 'equality fields are not its leading keys';
  const at = eq.length;
  // 2. Then the sort, in order, every direction as declared or every one reversed.
  if (effectiveSort.length) {
    const next = keys.slice(at, at + effectiveSort.length);
    if (next.length < effectiveSort.length || !effectiveSort.every(([f], i) => next[i]?.[0] === f))
      return 'sort fields do not follow the equality fields';
    const same = effectiveSort.every(([, d], i) => next[i]?.[1] === d);
    const reversed = effectiveSort.every(([, d], i) => next[i]?.[1] === -d);
    if (!same && !reversed) return 'sort directions neither match nor all reverse it';
  }
  // 3. With no equality, the index must bound the read: a range on its first key, or a sorted walk
  //    that stops early.
  const first = keys[0]?.[0] ?? '';
  if (eq.length === 0) {
    if (effectiveSort.length === 0) {
      if (!range.includes(first)) return 'no equality, and no range on its first key';
    } else if (!limit && !range.includes(first)) return 'walks the whole index in sort order (no limit)';
  }
  return null;
}

/**
 * @param {string[]} eq @param {string[]} range @param {SortKey[]} sort @param {boolean} limit
 * @param {IndexShape[]} indexes @returns {Verdict}
 */
function servedConjunction(eq, range, sort, limit, indexes) {
  if (eq.includes('_id')) return { served: true, index: '_id_' };
  // Equality on every key of a unique index: at most one document, whatever else the filter says.
  const one = indexes.find((i) => i.unique && Object.keys(i.key).every((k) => eq.includes(k)));
  if (one) return { served: true, index: one.name };
  const effectiveSort = sort.filter(([f]) => !eq.includes(f));
  if (!eq.length && !range.length && !(effectiveSort.length && limit))
    return { served: false, why: 'reads the whole collection' };
  /** @type {string[]} */
  const misses = [];
  for (const index of indexes) {
    const miss = missOf(eq, range, sort, limit, index);
    if (!miss) return { served: true, index: index.name };
    misses.push(`${index.name}: ${miss}`);
  }
  return { served: false, why: `no index serves it (${misses.join('; ')})` };
}

/**
 * Whether a declared index serves the query (the rule above), and which one.
 * @param {Pick<QueryShape, 'filter' | 'sort' | 'limit' | 'indexes'>} shape @returns {Verdict}
 */
function servedBy(shape) {
  const indexes = shape.indexes.some((i) => Object.keys(i.key).join() === '_id')
    ? shape.indexes
    : [{ name: '_id_', key: { _id: 1 } }, ...shape.indexes];
  return servedFilter(shape.filter, shape.sort, shape.limit, indexes);
}

/**
 * @param {FilterShape} filter @param {SortKey[]} sort @param {boolean} limit @param {IndexShape[]} indexes
 * @returns {Verdict}
 */
function servedFilter(filter, sort, limit, indexes) {
  const whole = servedConjunction(filter.eq, filter.range, sort, limit, indexes);
  if (whole.served || !filter.or.length) return whole;
  // Served through an $or when, for one of them, every branch (with the fields around it) is.
  for (const branches of filter.or) {
    const others = filter.or.filter((o) => o !== branches);
    const verdicts = branches.map((b) =>
      servedFilter(
        tidy({ eq: [...filter.eq, ...b.eq], range: [...filter.range, ...b.range], or: [...others, ...b.or] }),
        sort,
        limit,
        indexes,
      ),
    );
    const miss = verdicts.find((v) => !v.served);
    if (!miss) return { served: true, index: verdicts.map((v) => (v.served ? v.index : '')).join(' | ') };
    if (filter.or.length === 1) return { served: false, why: `an $or branch: ${miss.served ? '' : miss.why}` };
  }
  return { served: false, why: 'no $or whose every branch is served' };
}

/** @param {FilterShape} f @returns {string} */
function describeFilter(f) {
  const parts = [...f.eq.map((p) => `${p}=`), ...f.range.map((p) => `${p}~`)];
  for (const branches of f.or) parts.push(`$or[${branches.map(describeFilter).join(' | ')}]`);
  return `{${parts.join(', ')}}`;
}

/**
 * One line per shape, also the key of the allow-list: "establishments find {district=, name~}
 * sort {name:1} limit" (= equality, ~ range).
 * @param {Pick<QueryShape, 'collection' | 'op' | 'filter' | 'sort' | 'limit'>} shape @returns {string}
 */
function describeShape(shape) {
  const sort = shape.sort.length ? ` sort {${shape.sort.map(([f, d]) => `${f}:${d}`).join(', ')}}` : '';
  return `${shape.collection} ${shape.op} ${describeFilter(shape.filter)}${sort}${shape.limit ? ' limit' : ''}`;
}

/**
 * The verdict on every distinct shape the API sent (duplicates from several workers counted once;
 * shapes only the tests' own reads sent are counted apart), with the allow-list applied.
 * @param {QueryShape[]} shapes @param {AllowEntry[]} allowed
 */
function checkShapes(shapes, allowed) {
  /** @type {Map<string, QueryShape>} */
  const distinct = new Map();
  /** @type {Set<string>} */
  const fromTests = new Set();
  for (const s of shapes) {
    const line = describeShape(s);
    if (s.from === 'test') fromTests.add(line);
    else if (!distinct.has(line)) distinct.set(line, s);
  }
  for (const line of distinct.keys()) fromTests.delete(line);
  const allowedBy = new Map(allowed.map((a) => [a.shape, a]));
  /** @type {{ shape: QueryShape, line: string, why: string }[]} */
  const unserved = [];
  /** @type {{ shape: QueryShape, line: string, reason: string }[]} */
  const allowedShapes = [];
  for (const [line, shape] of distinct) {
    const verdict = servedBy(shape);
    if (verdict.served) continue;
    const allow = allowedBy.get(line);
    if (allow) allowedShapes.push({ shape, line, reason: allow.reason });
    else unserved.push({ shape, line, why: verdict.why });
  }
  const seen = new Set(distinct.keys());
  const unusedAllowed = allowed.filter((a) => !seen.has(a.shape));
  return { total: distinct.size, fromTests: fromTests.size, unserved, allowed: allowedShapes, unusedAllowed };
}

module.exports = { classifyFilter, normalizeSort, servedBy, describeShape, checkShapes };
