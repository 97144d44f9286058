// @ts-check
// Production helper of ygsa-media.service: writes nginx-rtmp's configuration from the API's own
// settings with the generator `npm start` uses (so development and production cannot drift), and
// deletes recordings past their retention (ygsa-recordings-sweep.timer).
//   node deploy/media-nginx.cjs config   writes $MEDIA_DIR/nginx.conf and the folders it names
//   node deploy/media-nginx.cjs sweep    deletes recordings older than RECORDING_RETENTION_DAYS (at least 7)
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { nginxConfig, sweepRecordings } = require('../scripts/lib/media.cjs');

const env = process.env;
const dir = env.MEDIA_DIR || '/var/lib/ygsa/media';

/** @returns {never} */
function fail(/** @type {string} */ message) {
  process.stderr.write(`media-nginx: ${message}\n`);
  process.exit(78); // EX_CONFIG, as the API
}

function required(/** @type {string} */ name) {
  return env[name] || fail(`${name} is required (the API's value, in /etc/ygsa/api.env)`);
}

/** @param {string} name @param {string} fallback */
function listenAddress(name, fallback) {
  const raw = env[name] || fallback;
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  if (!m || Number(m[2]) > 65535) fail(`${name} must be host:port (got "${raw}")`);
  return { host: m[1], port: Number(m[2]) };
}

const command = process.argv[2];
if (command === 'config') {
  // Cameras publish from outside; players reach HLS through the HTTPS proxy or CDN in front.
  const rtmp = listenAddress('MEDIA_RTMP_LISTEN', '0.0.0.0:1935');
  const http = listenAddress('MEDIA_HTTP_LISTEN', '127.0.0.1:8081');
  const config = nginxConfig({
    dir,
    rtmpHost: rtmp.host,
    rtmpPort: rtmp.port,
    httpHost: http.host,
    httpPort: http.port,
    callbackUrl: env.MEDIA_CALLBACK_URL || `http://127.0.0.1:${env.PORT || 3000}/api/v1/media`,
    callbackToken: required('MEDIA_CALLBACK_TOKEN'),
    secret: required('MEDIA_SECRET'),
    heartbeatSeconds: Number(env.CAMERA_HEARTBEAT_SECONDS || 30),
    // nginx runs as the service's own user, not root.
    user: null,
  });
  for (const d of [dir, join(dir, 'hls'), join(dir, 'rec'), join(dir, 'tmp')]) mkdirSync(d, { recursive: true });
  // It holds the signing secret.
  writeFileSync(join(dir, 'nginx.conf'), config, { mode: 0o600 });
} else if (command === 'sweep') {
  const days = Math.max(7, Number(env.RECORDING_RETENTION_DAYS || 7));
  const removed = sweepRecordings(join(dir, 'rec'), days);
  process.stdout.write(`deleted ${removed} recordings older than ${days} days\n`);
} else {
  fail('usage: node deploy/media-nginx.cjs config|sweep');
}
