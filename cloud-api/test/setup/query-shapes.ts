// jest setupFiles of the API tests: records the shape of every query the API sends (collection,
// operation, equality and range fields, sort, and the collection's declared indexes), one JSON line
// per distinct shape in .cache/query-shapes/<worker pid>.jsonl. `node scripts/check-query-shapes.mjs`
// (and `npm test`) then checks that a declared index serves each one (scripts/lib/query-shapes.cjs).
//
// A global plugin is applied to a schema when a model is first compiled (mongoose's _model); the
// API compiles its models lazily per connection (defineModel, ensureIndexes), always after this
// file has run, since jest runs setupFiles before the test file imports anything.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import mongoose, { type Aggregate, type Model, type Query, type Schema } from 'mongoose';
import { classifyFilter, describeShape, normalizeSort, type QueryShape } from '../../../scripts/lib/query-shapes.cjs';

const ROOT = resolve(__dirname, '..', '..', '..');
const DIR = join(ROOT, '.cache', 'query-shapes');
const FILE = join(DIR, `${process.pid}.jsonl`);

/** Query operations that send a filter (estimatedDocumentCount reads metadata only). */
const QUERY_OPS = [
  'find',
  'findOne',
  'countDocuments',
  'distinct',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;
/** Operations that stop at the first matching document. */
const SINGLE = new Set([
  'findOne',
  'updateOne',
  'replaceOne',
  'deleteOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
]);

mkdirSync(DIR, { recursive: true });
// setupFiles run once per test file, in a fresh module registry: what this worker already wrote
// is read back so that each shape is written once per worker.
const seen = new Set<string>(
  existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => describeShape(JSON.parse(line) as QueryShape))
    : [],
);

function indexesOf(model: Model<unknown>) {
  return [
    { name: '_id_', key: { _id: 1 } },
    ...model.schema.indexes().map(([key, options]) => ({
      name: String((options as { name?: string }).name ?? Object.keys(key).join('_')),
      key: key as Record<string, unknown>,
      ...((options as { unique?: boolean }).unique ? { unique: true } : {}),
    })),
  ];
}

/**
 * Where the query was sent from: the first frame in the API's sources, else in a test file (a test
 * that reads the database itself, which the check leaves out), else unknown (checked like the API's).
 */
function callerOf(stack: string | undefined): Pick<QueryShape, 'at' | 'from'> {
  const frames = (stack ?? '').split('\n').filter((l) => !l.includes('node_modules') && !l.includes(__filename));
  for (const [from, dir] of [
    ['api', join('cloud-api', 'src')],
    ['test', join('cloud-api', 'test')],
  ] as const) {
    const m = frames.find((l) => l.includes(dir))?.match(/\(?([^()\s]+:\d+):\d+\)?\s*$/);
    if (m?.[1]) return { from, at: relative(ROOT, m[1]) };
  }
  return { from: 'unknown' };
}

function record(
  model: Model<unknown>,
  op: string,
  filter: unknown,
  sort: unknown,
  limit: boolean,
  stack: string | undefined,
): void {
  const shape: QueryShape = {
    collection: model.collection.collectionName,
    op,
    filter: classifyFilter(filter),
    sort: normalizeSort(sort),
    limit,
    indexes: [],
  };
  const key = describeShape(shape);
  if (seen.has(key)) return;
  seen.add(key);
  const line: QueryShape = { ...shape, model: model.modelName, indexes: indexesOf(model), ...callerOf(stack) };
  appendFileSync(FILE, JSON.stringify(line) + '\n');
}

function queryShapes(schema: Schema): void {
  schema.pre([...QUERY_OPS], { document: false, query: true }, function (this: Query<unknown, unknown>) {
    const options = this.getOptions() as { sort?: unknown; limit?: unknown };
    const op = (this as unknown as { op?: string }).op ?? 'unknown';
    record(
      this.model as Model<unknown>,
      op,
      this.getFilter(),
      options.sort,
      SINGLE.has(op) || options.limit != null,
      new Error().stack,
    );
  });
  schema.pre('aggregate', function (this: Aggregate<unknown>) {
    const [first, second] = this.pipeline() as unknown as (Record<string, unknown> | undefined)[];
    const match = first && '$match' in first ? first.$match : {};
    const afterMatch = first && '$match' in first ? second : first;
    const sort = afterMatch && '$sort' in afterMatch ? afterMatch.$sort : undefined;
    record(this.model() as Model<unknown>, 'aggregate', match, sort, false, new Error().stack);
  });
  schema.pre('bulkWrite', function (this: Model<unknown>, next: () => void, ops: unknown) {
    for (const op of Array.isArray(ops) ? (ops as Record<string, { filter?: unknown }>[]) : []) {
      const [name, body] = Object.entries(op)[0] ?? [];
      if (name && body && 'filter' in body)
        record(this, `bulkWrite.${name}`, body.filter, undefined, SINGLE.has(name), new Error().stack);
    }
    next();
  });
}

mongoose.plugin(queryShapes);
