import { cameraModel, cameraViewModel } from '../src/modules/live/camera.model';
import { signIn, startTestApi, type TestApi } from './helpers';
import { asRegulator, createShop, key } from './shops';
import { auth, ownerOf } from './enforcement-helpers';

describe("a shop's staff preview their own kitchen", () => {
  let api: TestApi;
  let school: { id: string };
  let other: { id: string };
  let schoolCam: string;
  let otherCam: string;
  let owner: string;
  let officer: string;
  let otherOwner: string;
  const preview = (token: string, shop: string, cam: string) =>
    api.http.get(`/api/v1/operator/shops/${shop}/cameras/${cam}/url`).set(auth(token));

  beforeAll(async () => {
    api = await startTestApi();
    // A school canteen, whose stream the public never sees, with hours that are over now.
    school = await createShop(api, {
      name: '实验中学食堂',
      businessType: 'school_canteen',
      dinersPerMeal: 600,
      openingHours: '00:00-00:01',
    });
    other = await createShop(api, { name: '隔壁小馆' });
    const add = async (shop: string) =>
      (
        await api.http
          .post(`/api/v1/regulator/establishments/${shop}/cameras`)
          .set(asRegulator)
          .send({ name: '烹饪区', zone: 'cooking' })
          .expect(201)
      ).body.id as string;
    schoolCam = await add(school.id);
    otherCam = await add(other.id);
    owner = await ownerOf(api, school.id);
    officer = await ownerOf(api, school.id, 'safety_officer', owner);
    otherOwner = await ownerOf(api, other.id);
  });
  afterAll(() => api.close());

  it('when the camera is offline, then the preview says so', async () => {
    const res = await preview(owner, school.id, schoolCam);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('摄像头当前离线，请检查电源与网络');
  });

  it("when a member of a committee-only school asks out of hours, then they get their own kitchen's signed stream, logged and marked", async () => {
    await cameraModel(api.db).updateMany({}, { $set: { online: true } });
    // The public route refuses them (not on the parents' committee)…
    expect((await api.http.get(`/api/v1/live/cameras/${schoolCam}/url`).set(auth(owner))).status).toBe(403);
    // …their own shop's preview does not.
    for (const token of [owner, officer]) {
      const res = await preview(token, school.id, schoolCam);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        cameraId: schoolCam,
        url: expect.stringMatching(new RegExp(`/hls/\\d+/[^/]+/cam_${schoolCam}/index\\.m3u8$`)),
        watermark: expect.stringMatching(/^本店 [0-9a-f]{6}$/),
      });
    }
    expect(await cameraViewModel(api.db).countDocuments({ cameraId: schoolCam })).toBe(2);
  });

  it("when someone else asks for the shop's camera, or a member names another shop's camera, then refused", async () => {
    const stranger = (await signIn(api, 'operator', `cam-stranger-${key()}`)).token;
    expect((await preview(stranger, school.id, schoolCam)).status).toBe(403);
    expect((await preview(otherOwner, school.id, schoolCam)).status).toBe(403);
    // A camera of another shop under one's own shop is not found.
    expect((await preview(owner, school.id, otherCam)).status).toBe(404);
    expect((await preview(otherOwner, other.id, otherCam)).status).toBe(200);
  });
});
