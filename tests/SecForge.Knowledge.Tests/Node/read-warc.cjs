// Reads a WARC file with warcio (npm), a third-party reader, and prints one JSON line: records by type,
// response target URIs, and whether each response's payload digest matches its body.
// Usage: node read-warc.cjs <node_modules> <file.warc.gz>
const path = require('node:path');
const fs = require('node:fs');
const crypto = require('node:crypto');
const [modules, file] = process.argv.slice(2);
const { WARCParser } = require(path.join(path.resolve(modules), 'warcio'));

const base32 = (bytes) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
};

(async () => {
  const types = {};
  const targets = [];
  let digestsChecked = 0, digestsWrong = 0;
  const parser = new WARCParser(fs.createReadStream(file));
  for await (const record of parser) {
    types[record.warcType] = (types[record.warcType] || 0) + 1;
    if (record.warcType === 'response') {
      targets.push(record.warcTargetURI);
      const payload = await record.readFully(true);
      const declared = record.warcHeader('WARC-Payload-Digest');
      if (declared) {
        digestsChecked++;
        const actual = 'sha1:' + base32(crypto.createHash('sha1').update(payload).digest());
        if (actual !== declared) digestsWrong++;
      }
    }
  }
  console.log(JSON.stringify({ types, targets, digestsChecked, digestsWrong }));
})().catch((error) => { console.error(error); process.exit(1); });
