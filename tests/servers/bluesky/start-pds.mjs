// start-pds.mjs - the official Bluesky PDS (@atproto/pds), configured by
// its PDS_* environment variables, for tests/cli/8420.  Run from a folder
// whose node_modules holds @atproto/pds.
import { PDS, envToCfg, envToSecrets, readEnv } from '@atproto/pds';

const env = readEnv();
env.version ||= '0.0.0-test';
const pds = await PDS.create(envToCfg(env), envToSecrets(env));
await pds.start();
console.log(`PDS listening on port ${env.port}`);
const stop = async () => { await pds.destroy(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
