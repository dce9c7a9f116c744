/**
 * Preload for profiling the server under load: NODE_OPTIONS="--require <this file>" (the
 * --cpu-prof flag is not allowed in NODE_OPTIONS). Writes a .cpuprofile (open it in Chrome
 * DevTools) to BENCH_PROFILE_DIR (default /tmp) when the process exits.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
// BENCH_PROFILE_DELAY_MS: start later, to leave start-up and warm-up out of the profile
setTimeout(() => session.post('Profiler.start'), Number(process.env.BENCH_PROFILE_DELAY_MS || 0)).unref();
process.on('exit', () => {
  session.post('Profiler.stop', (err, res) => {
    if (err) return;
    const file = path.join(process.env.BENCH_PROFILE_DIR || '/tmp', `server-${process.pid}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(res.profile));
  });
});
