// tests/servers/oidc.mjs - panva/oidc-provider (an OpenID Certified
// OAuth 2.0 server) on 127.0.0.1 for the OAuth tests (8070), after
// ../../shared/reference/servers/oidc/start-oidc.mjs.  Run it from a
// folder whose node_modules holds oidc-provider.  Environment:
//   OIDC_PORT       the port (required)
//   OIDC_REDIRECT   the client's redirect URI (http://127.0.0.1:N/callback)
//   OIDC_ROTATE_REFRESH=0  no refresh token rotation (Google-style)
//   OIDC_PORT_FILE  written (through a rename) once it listens
// devInteractions: the built-in login page takes any user and password.
import Provider from 'oidc-provider';
import fs from 'node:fs';

const port = parseInt(process.env.OIDC_PORT, 10);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'agency-upload', client_secret: 'agency-secret',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'], redirect_uris: [process.env.OIDC_REDIRECT],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  features: { devInteractions: { enabled: true } },
  scopes: ['openid', 'offline_access', 'upload'],
  pkce: { required: () => true },
  rotateRefreshToken: process.env.OIDC_ROTATE_REFRESH !== '0',
  issueRefreshToken: async (ctx, client, code) =>
    client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: 3600, RefreshToken: 86400 },
  cookies: { keys: ['test-cookie-key'] },
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId ||
      ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid offline_access upload');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => {
  const f = process.env.OIDC_PORT_FILE;
  if (f) { fs.writeFileSync(f + '.tmp', `${port}\n`); fs.renameSync(f + '.tmp', f); }
  console.log(`OIDC issuer ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Leave with the test that started us.
const parent = process.ppid;
setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 500);
