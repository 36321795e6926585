#!/usr/bin/env node
// Draws the app icon, build/icon.png (512x512 RGBA), with nothing but zlib: a
// rounded dark tile with four lanes, one per runtime pool of the seed, each with
// a few task bars, the last one cut short as a shutdown is. Run it again after
// changing the drawing: `node build/make-icon.cjs`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZE = 512;
const px = Buffer.alloc(SIZE * SIZE * 4);

function blend(x, y, [r, g, b], a) {
  if (x < 0 || y < 0 || x >= SIZE || y >= SIZE || a <= 0) return;
  const i = (y * SIZE + x) * 4;
  const da = px[i + 3] / 255;
  const oa = a + da * (1 - a);
  const mix = (s, d) => Math.round((s * a + d * da * (1 - a)) / (oa || 1));
  px[i] = mix(r, px[i]);
  px[i + 1] = mix(g, px[i + 1]);
  px[i + 2] = mix(b, px[i + 2]);
  px[i + 3] = Math.round(oa * 255);
}

/** A filled rounded rectangle, anti-aliased at the corners by 4x4 supersampling. */
function roundRect(x0, y0, w, h, radius, color) {
  const inside = (x, y) => {
    const cx = Math.min(Math.max(x, x0 + radius), x0 + w - radius);
    const cy = Math.min(Math.max(y, y0 + radius), y0 + h - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 && x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h;
  };
  for (let y = Math.floor(y0); y < Math.ceil(y0 + h); y++) {
    for (let x = Math.floor(x0); x < Math.ceil(x0 + w); x++) {
      let n = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) n++;
      blend(x, y, color, n / 16);
    }
  }
}

roundRect(16, 16, 480, 480, 96, [0x1d, 0x26, 0x35]);
const lanes = [
  { y: 104, color: [0x4f, 0xa3, 0xf7], bars: [[72, 180], [268, 172]] },
  { y: 184, color: [0x9b, 0x7b, 0xf0], bars: [[72, 112], [200, 240]] },
  { y: 264, color: [0x3c, 0xc9, 0x8a], bars: [[72, 252], [340, 100]] },
  { y: 344, color: [0xf2, 0xa5, 0x3a], bars: [[72, 150], [238, 96]] },
];
for (const lane of lanes) {
  for (const [x, w] of lane.bars) roundRect(x, lane.y, w, 56, 18, lane.color);
}
// The shutdown: a red line where the last lane's task was cut off.
roundRect(346, 328, 14, 88, 7, [0xe5, 0x48, 0x4d]);

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) px.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
