// A small PNG drawn in code (a mug with a crack, on a table), so the screenshots' attachment
// needs no binary fixture in the repository. Encoded with node:zlib: RGB, 8 bits, no filter.
import { deflateSync } from 'node:zlib';

const WIDTH = 240;
const HEIGHT = 160;

type Rgb = [number, number, number];

/** The colour of one pixel of the picture. */
function pixel(x: number, y: number): Rgb {
  const inBody = x >= 80 && x <= 150 && y >= 40 && y <= 130;
  const handle = Math.hypot(x - 152, y - 80);
  const inHandle = x > 150 && handle >= 14 && handle <= 24;
  const crack = Math.abs(x - (110 + Math.sin(y / 6) * 6)) < 1.5 && y >= 48 && y <= 110;
  if (inBody && crack) return [60, 40, 30];
  if (inBody || inHandle) return x < 100 ? [235, 110, 80] : [220, 95, 68];
  if (y > 122) return [180, 140, 100]; // the table
  const shade = Math.round(230 - y / 4);
  return [shade, shade, Math.min(255, shade + 12)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function photoPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter, no interlace
  const rows = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1); // each row starts with its filter byte, 0
    for (let x = 0; x < WIDTH; x++) rows.set(pixel(x, y), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
