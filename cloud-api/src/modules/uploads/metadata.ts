// Photo metadata removal, written here because the formats' container rules are short and fixed
// and an image library (with native code) would be a large dependency for this one job. Pixel
// data is untouched; only the segments/chunks that carry EXIF (GPS location, device), XMP and
// text comments are dropped.

/** JPEG: drops APP1 (EXIF, XMP), APP13 (IPTC) and COM segments before the image data. */
function stripJpeg(b: Buffer): Buffer {
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1] as number;
    if (marker === 0xda) break; // start of scan: the rest is image data
    const len = b.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (end > b.length) break;
    if (marker !== 0xe1 && marker !== 0xed && marker !== 0xfe) out.push(b.subarray(i, end));
    i = end;
  }
  out.push(b.subarray(i));
  return Buffer.concat(out);
}

/** PNG: drops eXIf and text chunks (tEXt, zTXt, iTXt). */
function stripPng(b: Buffer): Buffer {
  const out: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + len;
    if (end > b.length) break;
    if (!['eXIf', 'tEXt', 'zTXt', 'iTXt'].includes(type)) out.push(b.subarray(i, end));
    i = end;
  }
  return Buffer.concat(out);
}

/** WebP: drops EXIF and XMP chunks, clears their flags in VP8X, and fixes the RIFF size. */
function stripWebp(b: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = b.toString('latin1', i, i + 4);
    const len = b.readUInt32LE(i + 4);
    const end = i + 8 + len + (len % 2);
    if (end > b.length) break;
    if (type !== 'EXIF' && type !== 'XMP ') {
      const chunk = Buffer.from(b.subarray(i, end));
      if (type === 'VP8X') chunk[8] = (chunk[8] as number) & ~0x0c; // EXIF (0x08) and XMP (0x04) flags
      chunks.push(chunk);
    }
    i = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.from(b.subarray(0, 12));
  header.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([header, body]);
}

export function stripMetadata(bytes: Buffer, type: 'image/jpeg' | 'image/png' | 'image/webp'): Buffer {
  if (type === 'image/jpeg') return stripJpeg(bytes);
  if (type === 'image/png') return stripPng(bytes);
  return stripWebp(bytes);
}
