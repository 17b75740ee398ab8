// A real OpenID Provider for Kartla's tests: node oidc-provider on 127.0.0.1:$PORT, issuing JWT access
// tokens for the resource https://kartla.test (or any other resource asked for, as its audience) by the
// client-credentials grant (client `sync`, secret `sync-secret`) and the authorization-code grant with
// PKCE (public client `frontend`). Its one signing key is made at start: $ALG (RS256, ES256 or EdDSA) with
// kid $KID, so a restart with another kid is a key rotation. $ORGS maps a client or an account to an
// organisation number, put in the token as Maskinporten does: consumer.ID = "0192:<number>". $TTL is the
// access tokens' lifetime in seconds. The login and consent steps are answered at once, for the account
// named by the authorization request's login_hint. Prints "ready" when it listens.
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const port = Number(process.env.PORT);
const alg = process.env.ALG || 'RS256';
const kid = process.env.KID || 'key-1';
const ttl = Number(process.env.TTL || 300);
const orgs = JSON.parse(process.env.ORGS || '{}');
const scopes = 'kartla:read kartla:edit kartla:admin';

const { privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
const key = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'sync',
      client_secret: 'sync-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: scopes,
      id_token_signed_response_alg: alg,
    },
    {
      client_id: 'frontend',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: `openid ${scopes}`,
      id_token_signed_response_alg: alg,
    },
  ],
  scopes: ['openid', ...scopes.split(' ')],
  jwks: { keys: [key] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'https://kartla.test',
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => ({
        scope: scopes,
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: ttl,
        jwt: { sign: { alg } },
      }),
    },
  },
  extraTokenClaims: (ctx, token) => {
    const number = orgs[token.accountId || token.clientId];
    return number ? { consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${number}` } } : {};
  },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

// Login and consent, answered at once: the person is the login_hint, and every scope asked for is granted.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (details.prompt.name === 'login') {
    result = { login: { accountId: details.params.login_hint || 'someone' } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [resource, asked] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(resource, asked.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  }
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
});

provider.listen(port, '127.0.0.1', () => console.log('ready'));
