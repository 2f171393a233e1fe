// start-plc.cjs - the official did:plc directory (@did-plc/server) with
// its in-memory database, for tests/cli/8420.  PLC_PORT names the port.
const { PlcServer, Database } = require('@did-plc/server');

(async () => {
  const plc = PlcServer.create({ db: Database.mock(),
    port: parseInt(process.env.PLC_PORT || '2582', 10) });
  await plc.start();
  console.log(`PLC listening on port ${process.env.PLC_PORT}`);
  const stop = async () => { await plc.destroy(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})();
