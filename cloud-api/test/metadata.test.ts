import { stripMetadata } from '../src/modules/uploads/metadata';

function jpeg(): Buffer {
  const seg = (marker: number, payload: Buffer) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(payload.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), len, payload]);
  };
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from('Exif\0\0GPSLatitude=30.27;GPSLongitude=120.15', 'latin1')),
    seg(0xfe, Buffer.from('taken by Wang', 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xaa, 0xbb, 0xff, 0xd9]),
  ]);
}

function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.alloc(13)),
    chunk('eXIf', Buffer.from('GPSLatitude=30.27', 'latin1')),
    chunk('tEXt', Buffer.from('Author\0Wang', 'latin1')),
    chunk('IDAT', Buffer.from('pixels')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('photo metadata removal', () => {
  it('removes EXIF (location) and comments from a JPEG, keeping its image data', () => {
    const out = stripMetadata(jpeg(), 'image/jpeg');
    const text = out.toString('latin1');
    expect(text).not.toContain('GPSLatitude');
    expect(text).not.toContain('taken by Wang');
    expect(text).toContain('JFIF');
    expect(out.subarray(-14).equals(jpeg().subarray(-14))).toBe(true);
  });

  it('removes eXIf and text chunks from a PNG, keeping its pixels', () => {
    const out = stripMetadata(png(), 'image/png');
    const text = out.toString('latin1');
    expect(text).not.toMatch(/GPSLatitude|Author/);
    expect(text).toContain('IDAT');
    expect(text).toContain('pixels');
    expect(text.endsWith('IEND\0\0\0\0')).toBe(true);
  });
});

describe('GET /api/v1/uploads/:id', () => {
  it('serves the uploader a photo without its location, and a regulator the original evidence', async () => {
    const { signIn, startTestApi } = await import('./helpers');
    const { asRegulator, key } = await import('./shops');
    const api = await startTestApi();
    try {
      const diner = await signIn(api, 'public', `meta-${key()}`);
      const up = await api.http
        .post('/api/v1/uploads')
        .set('Authorization', `Bearer ${diner.token}`)
        .attach('file', png(), 'a.png');
      expect(up.status).toBe(201);
      const binary = (r: import('supertest').Test) =>
        r.buffer(true).parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      const mine = await binary(
        api.http.get(`/api/v1/uploads/${up.body.id}`).set('Authorization', `Bearer ${diner.token}`),
      );
      expect(mine.status).toBe(200);
      expect((mine.body as Buffer).toString('latin1')).not.toContain('GPSLatitude');
      const evidence = await binary(api.http.get(`/api/v1/uploads/${up.body.id}`).set(asRegulator));
      expect((evidence.body as Buffer).toString('latin1')).toContain('GPSLatitude');
      const stranger = await signIn(api, 'public', `meta-other-${key()}`);
      expect(
        (await api.http.get(`/api/v1/uploads/${up.body.id}`).set('Authorization', `Bearer ${stranger.token}`)).status,
      ).toBe(403);
    } finally {
      await api.close();
    }
  });
});
