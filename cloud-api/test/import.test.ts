import { establishmentModel } from '../src/modules/establishments/establishment.model';
import { startTestApi, type TestApi } from './helpers';
import { asRegulator } from './shops';

const HEADER =
  '名称,许可证编号,许可证类型,有效期起,有效期至,地址,所属辖区,经度,纬度,坐标系,业态,经营面积,每餐就餐人数,许可日期,营业时间,状态';
const row = (n: number, over: Partial<Record<string, string>> = {}) => {
  const r = {
    name: `导入餐馆${n}`,
    number: `JY133010200${String(n).padStart(5, '0')}`,
    type: '食品经营许可证',
    from: '2024-01-01',
    to: '2029-12-31',
    address: `导入路${n}号`,
    district: '导入区',
    lng: '120.16',
    lat: '30.27',
    crs: 'GCJ02',
    biz: n % 2 ? '餐馆' : '学校食堂',
    area: '150',
    diners: '80',
    licensed: '2024-01-01',
    hours: '10:00-21:00',
    status: '正常营业',
    ...over,
  };
  return Object.values(r).join(',');
};

describe('CSV import of licence data', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const post = (csv: string) =>
    api.http.post('/api/v1/regulator/establishments/import').set(asRegulator).set('Content-Type', 'text/csv').send(csv);

  it('when every row is valid, then all are created; importing again updates instead of duplicating', async () => {
    const csv = ['\uFEFF' + HEADER, row(1), row(2), row(3)].join('\n');
    const first = await post(csv);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0 });
    const again = await post(csv.replace('导入餐馆1', '导入餐馆一号'));
    // Only the renamed shop is written again; the rows that said the same are counted, not written.
    expect(again.body).toEqual({ total: 3, created: 0, updated: 1, unchanged: 2 });
    expect(await establishmentModel(api.db).countDocuments({ district: '导入区' })).toBe(3);
    const school = await establishmentModel(api.db).findOne({ name: '导入餐馆2' }).lean();
    expect(school?.businessType).toBe('school_canteen');
    expect(await establishmentModel(api.db).exists({ name: '导入餐馆一号' })).toBeTruthy();
  });

  it('when some rows are bad, then every problem is reported by line and column, and no row is imported', async () => {
    const before = await establishmentModel(api.db).countDocuments();
    const csv = [
      HEADER,
      row(10),
      row(11, { number: 'JY12' }),
      row(12, { lng: 'abc', biz: '夜总会' }),
      row(13, { from: '2024-02-30' }),
      row(10, { name: '重复行' }),
    ].join('\n');
    const res = await post(csv);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('共 5 行，4 行有错误，未导入任何数据');
    const details = res.body.error.details as { path: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        { path: '第3行「许可证编号」', message: '许可证编号格式错误' },
        { path: '第4行「经度」', message: expect.any(String) },
        { path: '第4行「业态」', message: expect.any(String) },
        { path: '第5行「有效期起」', message: '日期不存在' },
        { path: '第6行「许可证编号」', message: '与第2行重复' },
      ]),
    );
    expect(await establishmentModel(api.db).countDocuments()).toBe(before);
  });

  it('when a column is missing or unknown, then the header is reported', async () => {
    const res = await post(['名称,许可证编号,颜色', '甲,JY13301020000099,红'].join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { path: '表头', message: '缺少列「地址」' },
        { path: '表头', message: '无法识别的列「颜色」' },
      ]),
    );
  });

  it('when the file is not CSV text, then 415; when it is empty, then 400', async () => {
    const json = await api.http.post('/api/v1/regulator/establishments/import').set(asRegulator).send({ csv: HEADER });
    expect(json.status).toBe(415);
    expect((await post(HEADER)).status).toBe(400);
  });

  it('offers the template, which itself imports cleanly', async () => {
    const tpl = await api.http.get('/api/v1/regulator/establishments/import-template.csv').set(asRegulator);
    expect(tpl.status).toBe(200);
    expect(tpl.headers['content-type']).toMatch(/text\/csv/);
    const res = await post(tpl.text);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
  });

  it('when a file is checked first, then the answer says what it would do and nothing is written', async () => {
    const csv = [HEADER, row(300), row(301), row(1, { name: '导入餐馆一号改' })].join('\n');
    const before = await establishmentModel(api.db).countDocuments();
    const check = await post(csv).query({ mode: 'check' });
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ total: 3, toCreate: 2, toUpdate: 1, unchanged: 0 });
    expect(await establishmentModel(api.db).countDocuments()).toBe(before);
    const bad = await post([HEADER, row(302, { number: 'JY1' })].join('\n')).query({ mode: 'check' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('第2行「许可证编号」');
  });

  it('when a long file is sent to be written in the background, then its progress is followed to the report, and the same file again is the same import', async () => {
    const csv = [HEADER, ...Array.from({ length: 1200 }, (_, i) => row(1000 + i))].join('\n');
    const started = await post(csv).set('Prefer', 'respond-async');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'writing', total: 1200, toCreate: 1200, toWrite: 1200, report: null });
    const id = started.body.id as string;
    const progress = new Set<number>();
    let job = started.body;
    for (let i = 0; i < 200 && job.state === 'writing'; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api.http.get(`/api/v1/regulator/imports/${id}`).set(asRegulator).expect(200)).body;
      progress.add(job.written);
    }
    expect(job).toMatchObject({ state: 'done', stateLabel: '导入完成', written: 1200 });
    expect(job.report).toEqual({ total: 1200, created: 1200, updated: 0, unchanged: 0 });
    // Batches of 500: progress was reported on the way.
    expect([...progress].every((w) => [0, 500, 1000, 1200].includes(w))).toBe(true);
    expect(await establishmentModel(api.db).countDocuments({ name: /^导入餐馆1[0-9]{3}$/ })).toBe(1000);

    // The same file again: the same import, which writes nothing new.
    const again = await post(csv).set('Prefer', 'respond-async');
    expect([again.status, again.body.id, again.body.toCreate, again.body.unchanged]).toEqual([202, id, 0, 1200]);
    // A bad file is refused before anything starts.
    const bad = await post([HEADER, row(9000, { lat: '999' })].join('\n')).set('Prefer', 'respond-async');
    expect(bad.status).toBe(400);
  });

  it('when the process writing an import died, then its progress says it was interrupted', async () => {
    const { importJobModel } = await import('../src/modules/establishments/import-job.model');
    const id = 'a'.repeat(64);
    const long = new Date(Date.now() - 5 * 60_000);
    await importJobModel(api.db).create({
      _id: id,
      state: 'writing',
      total: 10,
      toCreate: 10,
      toUpdate: 0,
      unchanged: 0,
      written: 5,
      report: null,
      error: null,
      by: 'someone',
      startedAt: long,
      updatedAt: long,
    });
    const job = await api.http.get(`/api/v1/regulator/imports/${id}`).set(asRegulator).expect(200);
    expect(job.body).toMatchObject({ state: 'interrupted', written: 5, toWrite: 10 });
    expect(job.body.stateLabel).toContain('重新上传');
    expect((await api.http.get(`/api/v1/regulator/imports/${'b'.repeat(64)}`).set(asRegulator)).status).toBe(404);
  });
});
