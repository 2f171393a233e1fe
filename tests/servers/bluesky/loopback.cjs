// loopback.cjs - a node --require preload: a server.listen(port) that
// names no host binds 127.0.0.1 only (the PDS and PLC bind everywhere).
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if ((typeof args[0] === 'number' || /^\d+$/.test(String(args[0]))) &&
      (args.length === 1 || typeof args[1] === 'function'))
    args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
